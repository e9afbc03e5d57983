import ArgumentParser
import ConduitCore
import ConduitServer
import ConduitStore
import Foundation

/// `ccc-server audit verify|export`: check and read the tamper-evident audit log.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Verify or export the audit log.", subcommands: [Verify.self, Export.self])

    /// `--db` and `--config`, shared by the audit subcommands: the database is found as `serve`
    /// finds it (flag, `CONDUIT_DB`, the config file's `db`, the default).
    struct DatabaseOption: ParsableArguments {
        @Option(
            help: "The SQLite database; else CONDUIT_DB, else the config file's 'db'. [default: $XDG_STATE_HOME/conduit/conduit.sqlite, else ~/.local/state/conduit/conduit.sqlite]")
        var db: String?

        @Option(help: "The YAML config file whose 'db' to use. [default: CONDUIT_CONFIG, else ~/.config/conduit/conduit.yaml, if present]")
        var config: String?

        func openStore() throws -> ConduitStore {
            let settings = try ServerOptions.resolve(flags: db.map { ["db": .string($0)] } ?? [:], config: config)
            guard let path = settings.string("db"), let source = settings.values["db"]?.source else {
                throw ValidationError("no database given; pass --db FILE")
            }
            guard path == ":memory:" || FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("no database at \(path) (\(source.rawValue)); pass --db FILE, or set CONDUIT_DB or 'db' in the config file")
            }
            return ConduitStore(database: try ConduitDatabase.open(path: path))
        }
    }

    /// Checks every row's hash and link; names the first broken row (exit 1).
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the whole hash chain; name the first broken row.",
            discussion: "Exit codes: 0 intact, 1 broken (the first broken row is named), 2 usage.")

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let store = try database.openStore()
            let started = ContinuousClock.now
            do {
                let count = try await store.verifyAudit()
                print("audit log intact: \(count) rows verified in \(ContinuousClock.now - started)")
            } catch let broken as AuditChainBreak {
                FileHandle.standardError.write(Data("ccc-server: audit log broken at row \(broken.id): \(broken.reason)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    /// Writes the log out, oldest first, as JSON lines or CSV.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the audit log to standard output.")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case jsonl, csv
        }

        @OptionGroup var database: DatabaseOption

        @Option(help: "Only entries at or after this time: ISO 8601 (2026-11-21T12:00:00Z) or Unix seconds.")
        var since: String?

        @Option(help: "jsonl (one JSON object per line) or csv.")
        var format: Format = .jsonl

        func run() async throws {
            var sinceDate: Date?
            if let since {
                guard let date = TimeArgument.parse(since) else {
                    throw ValidationError("--since: \"\(since)\" is neither ISO 8601 nor Unix seconds")
                }
                sinceDate = date
            }
            let store = try database.openStore()
            let output = FileHandle.standardOutput
            if format == .csv {
                output.write(Data((Self.csvColumns.joined(separator: ",") + "\n").utf8))
            }
            var after: Int64 = 0
            while true {
                let entries = try await store.auditEntries(after: after, since: sinceDate, limit: 5000)
                guard let last = entries.last else { break }
                var text = ""
                for entry in entries {
                    text += format == .jsonl ? entry.json.compactText : Self.csvLine(entry)
                    text += "\n"
                }
                output.write(Data(text.utf8))
                after = last.id
            }
        }

        static let csvColumns = [
            "id", "at", "event", "user", "actor", "action", "request", "outcome", "detail", "previous_hash", "hash",
        ]

        static func csvLine(_ entry: AuditEntry) -> String {
            let json = entry.json
            return csvColumns.map { column in
                let value = json[column]
                let text = value?.plainText ?? ""
                return csvField(text)
            }.joined(separator: ",")
        }

        /// RFC 4180: quote fields holding a comma, quote or line break; double the quotes.
        static func csvField(_ text: String) -> String {
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }
}
