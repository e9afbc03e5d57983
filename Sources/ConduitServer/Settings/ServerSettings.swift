import ConduitCore
import Foundation
import Yams

/// Every `ccc-server` setting, resolved from flags, `CONDUIT_*` environment variables, the YAML
/// config file and defaults — in that order of precedence — remembering where each value came from.
///
/// Pure: the command passes in what it parsed, the environment and the file's text.
public struct ServerSettings: Sendable {
    /// A setting's value.
    public enum Value: Sendable, Equatable, CustomStringConvertible {
        case string(String)
        case integer(Int)
        case list([String])

        public var description: String {
            switch self {
            case .string(let text): text
            case .integer(let number): String(number)
            case .list(let items): "[" + items.joined(separator: ", ") + "]"
            }
        }
    }

    /// Where a value came from.
    public enum Source: String, Sendable, Equatable {
        case flag, environment, file, `default`
    }

    /// One setting: its key (the long flag name), kind, default and bounds.
    public struct Key: Sendable {
        public enum Kind: Sendable { case string, integer(ClosedRange<Int>), list }
        public var name: String
        public var kind: Kind
        public var defaultValue: Value?

        /// `CONDUIT_` + the key in upper case with `-` → `_`.
        public var environmentName: String { "CONDUIT_" + name.uppercased().replacingOccurrences(of: "-", with: "_") }
    }

    /// The keys, in the order `config print` shows them. `defaultVolumes` (`HOST:CONTAINER`) are
    /// the ones the server uses when none is given: ``ServerDefaults/volumes(workingDirectory:)``.
    public static func keys(defaultDatabase: String, defaultVolumes: [String] = []) -> [Key] {
        [
            Key(name: "secrets", kind: .string, defaultValue: nil),
            Key(name: "host", kind: .string, defaultValue: .string(ServerDefaults.host)),
            Key(name: "port", kind: .integer(0...65535), defaultValue: .integer(ServerDefaults.port)),
            Key(name: "root", kind: .string, defaultValue: .string(ServerDefaults.root)),
            Key(name: "volumes", kind: .list, defaultValue: .list(defaultVolumes)),
            Key(name: "actions", kind: .string, defaultValue: .string(ServerDefaults.actions)),
            Key(name: "db", kind: .string, defaultValue: .string(defaultDatabase)),
            Key(name: "max-age", kind: .integer(1...3600), defaultValue: .integer(ServerDefaults.maxAge)),
            Key(name: "max-skew", kind: .integer(0...3600), defaultValue: .integer(ServerDefaults.maxSkew)),
            Key(name: "body-limit", kind: .integer(1...(64 << 20)), defaultValue: .integer(ServerDefaults.bodyLimit)),
            Key(name: "default-expires", kind: .integer(1...ActionDefinition.longestExpiry), defaultValue: .integer(ServerDefaults.defaultExpires)),
            Key(name: "heartbeat", kind: .integer(1...3600), defaultValue: .integer(ServerDefaults.heartbeat)),
            Key(name: "event-buffer", kind: .integer(16...1_000_000), defaultValue: .integer(ServerDefaults.eventBuffer)),
            Key(name: "log-level", kind: .string, defaultValue: .string(ServerDefaults.logLevel)),
            Key(name: "notify", kind: .list, defaultValue: .list([])),
            Key(name: "runs", kind: .string, defaultValue: .string(ServerDefaults.runs)),
            Key(name: "projects", kind: .list, defaultValue: .list([])),
            Key(name: "max-active-runs", kind: .integer(1...64), defaultValue: .integer(ServerDefaults.maxActiveRuns)),
            Key(name: "claude", kind: .string, defaultValue: .string(ServerDefaults.claude)),
            Key(name: "worktrees", kind: .string, defaultValue: nil),
        ]
    }

    /// Resolved values and their sources, by key.
    public private(set) var values: [String: (value: Value, source: Source)] = [:]
    public let keys: [Key]

    /// Why settings could not be resolved: names the source and the key.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// - Parameters:
    ///   - flags: values given on the command line, by key.
    ///   - environment: the process environment (only `CONDUIT_*` names are read).
    ///   - file: the config file's path and text, if there is one.
    public init(
        flags: [String: Value], environment: [String: String], file: (path: String, text: String)?, defaultDatabase: String,
        defaultVolumes: [String] = []
    ) throws(Problem) {
        keys = Self.keys(defaultDatabase: defaultDatabase, defaultVolumes: defaultVolumes)
        let fileValues = try file.map { file throws(Problem) in try Self.parse(file.text, path: file.path, keys: keys) } ?? [:]
        for key in keys {
            if let value = flags[key.name] {
                values[key.name] = (try Self.checked(value, key: key, origin: "--\(key.name)"), .flag)
            } else if let text = environment[key.environmentName] {
                values[key.name] = (try Self.fromEnvironment(text, key: key), .environment)
            } else if let value = fileValues[key.name] {
                values[key.name] = (value, .file)
            } else if let value = key.defaultValue {
                values[key.name] = (value, .default)
            }
        }
    }

    public func string(_ key: String) -> String? {
        if case .string(let text)? = values[key]?.value { return text }
        return nil
    }

    public func integer(_ key: String) -> Int? {
        if case .integer(let number)? = values[key]?.value { return number }
        return nil
    }

    public func list(_ key: String) -> [String] {
        if case .list(let items)? = values[key]?.value { return items }
        return []
    }

    /// `key: value  # source`, one line per setting (unset ones say so).
    public var printed: String {
        keys.map { key in
            guard let (value, source) = values[key.name] else { return "\(key.name): (not set)" }
            return "\(key.name): \(value)  # \(source.rawValue)"
        }.joined(separator: "\n")
    }

    static func parse(_ text: String, path: String, keys: [Key]) throws(Problem) -> [String: Value] {
        let document: Any?
        do {
            document = try Yams.load(yaml: text)
        } catch {
            throw Problem(description: "\(path): not valid YAML: \(error)")
        }
        guard let document else { return [:] }
        guard let mapping = document as? [String: Any] else { throw Problem(description: "\(path): must be a YAML mapping of settings") }
        var values: [String: Value] = [:]
        for (name, raw) in mapping.sorted(by: { $0.key < $1.key }) {
            guard let key = keys.first(where: { $0.name == name }) else {
                throw Problem(description: "\(path): unknown setting \"\(name)\" (expected one of \(keys.map(\.name).joined(separator: ", ")))")
            }
            let value: Value
            switch (key.kind, raw) {
            case (.string, let text as String): value = .string(text)
            case (.integer, let number as Int): value = .integer(number)
            case (.list, let mapping as [String: Any]) where name == "projects":
                // projects: {demo: /home/me/demo} — the same as --project demo=/home/me/demo.
                var pairs: [String] = []
                for (project, directory) in mapping.sorted(by: { $0.key < $1.key }) {
                    guard let directory = directory as? String else {
                        throw Problem(description: "\(path): \"projects\" maps names to paths (strings)")
                    }
                    pairs.append("\(project)=\(directory)")
                }
                value = .list(pairs)
            case (.list, let items as [Any]):
                let texts = items.compactMap { $0 as? String }
                guard texts.count == items.count else { throw Problem(description: "\(path): \"\(name)\" must be a list of strings") }
                value = .list(texts)
            case (.string, _): throw Problem(description: "\(path): \"\(name)\" must be a string")
            case (.integer, _): throw Problem(description: "\(path): \"\(name)\" must be a whole number")
            case (.list, _): throw Problem(description: "\(path): \"\(name)\" must be a list of strings")
            }
            values[name] = try checked(value, key: key, origin: "\(path): \"\(name)\"")
        }
        return values
    }

    static func fromEnvironment(_ text: String, key: Key) throws(Problem) -> Value {
        let origin = key.environmentName
        switch key.kind {
        case .string: return try checked(.string(text), key: key, origin: origin)
        case .integer:
            guard let number = Int(text) else { throw Problem(description: "\(origin) must be a whole number, got \"\(text)\"") }
            return try checked(.integer(number), key: key, origin: origin)
        case .list:
            if key.name == "notify" {
                guard case .array(let items)? = try? JSONValue.parse(Array(text.utf8)),
                    let texts = Optional(items.compactMap(\.stringValue)), texts.count == items.count
                else { throw Problem(description: "\(origin) must be a JSON array of strings, e.g. [\"notify-send\", \"Conduit\"]") }
                return .list(texts)
            }
            return .list(text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
    }

    static func checked(_ value: Value, key: Key, origin: String) throws(Problem) -> Value {
        if case .integer(let range) = key.kind, case .integer(let number) = value, !range.contains(number) {
            throw Problem(description: "\(origin) must be from \(range.lowerBound) to \(range.upperBound), got \(number)")
        }
        if case .string(let text) = value, text.isEmpty { throw Problem(description: "\(origin) must not be empty") }
        return value
    }
}
