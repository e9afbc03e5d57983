import ArgumentParser
import ConduitCore
import ConduitServer
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// `ccc-server`: the broker (`serve`, the default) and its audit tools (`audit verify|export`).
@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ccc-server",
        abstract: "Conduit's broker: runs typed, signed action requests from containers under per-action policies.",
        subcommands: [Serve.self, AuditCommand.self], defaultSubcommand: Serve.self)

    /// Blocks the signals the server handles before any other thread exists, so every thread
    /// inherits the mask and they reach the service lifecycle instead of killing the process.
    static func main() async {
        ProcessSignals.blockHandledSignals()
        // Run Swift concurrency on NIO's event loops: requests no longer hop between NIO's threads
        // and the cooperative pool (measured: see docs/DESIGN.md, "Benchmark").
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await main(nil)
    }
}

/// `ccc-server [serve]`: the broker. Flags (and CONDUIT_PORT / CONDUIT_ROOT) become a ServerConfiguration.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the broker (the default when no subcommand is given).")

    @Option(help: "The secrets file (JSON, mode 0600).")
    var secrets: String

    @Option(help: "Address to bind. Keep it on loopback unless containers reach the host another way.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind (env CONDUIT_PORT; 0 picks a free port). [default: 3015]")
    var port: Int?

    @Option(help: "Container directory that relative paths resolve against (env CONDUIT_ROOT). [default: /workspace]")
    var root: String?

    @Option(
        name: .customLong("volume"),
        help: "A shared directory, HOST:CONTAINER (repeatable). [default: ./data/workspace:/workspace and ./data/claude-home:/home/claude]")
    var volumes: [String] = []

    @Option(help: "Directory of action files.")
    var actions = "actions"

    @Option(
        help: "The SQLite database (created if missing). [default: $XDG_STATE_HOME/conduit/conduit.sqlite, else ~/.local/state/conduit/conduit.sqlite]")
    var db: String?

    @Option(help: "Seconds a queued request waits for a person when its action file sets no 'expires'.")
    var defaultExpires = 900

    @Option(help: "Seconds between the heartbeat comments that keep /v1/events streams alive through idle timeouts.")
    var heartbeat = 15

    @Option(help: "Oldest acceptable signature, in seconds.")
    var maxAge: Int64 = 30

    @Option(help: "Furthest acceptable clock skew into the future, in seconds.")
    var maxSkew: Int64 = 5

    @Option(help: "Largest accepted request body, in bytes.")
    var bodyLimit = 64 * 1024

    @Flag(help: .hidden)
    var benchmarkWithoutAudit = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535") }
        if maxAge < 1 { throw ValidationError("--max-age must be at least 1 second") }
        if maxSkew < 0 { throw ValidationError("--max-skew cannot be negative") }
        if bodyLimit < 1 { throw ValidationError("--body-limit must be positive") }
        if !(1...3600).contains(heartbeat) { throw ValidationError("--heartbeat must be from 1 to 3600 seconds") }
        if !(1...ActionDefinition.longestExpiry).contains(defaultExpires) {
            throw ValidationError("--default-expires must be from 1 to \(ActionDefinition.longestExpiry) seconds (7 days)")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var resolvedPort = 3015
        if let port {
            resolvedPort = port
        } else if let text = environment["CONDUIT_PORT"] {
            guard let value = Int(text), (0...65535).contains(value) else {
                throw ValidationError("CONDUIT_PORT must be a port number, got \"\(text)\"")
            }
            resolvedPort = value
        }
        let resolvedRoot = root ?? environment["CONDUIT_ROOT"] ?? "/workspace"
        guard resolvedRoot.hasPrefix("/") else { throw ValidationError("--root must be an absolute container path") }
        let cwd = FileManager.default.currentDirectoryPath
        var parsedVolumes: [Volume] = []
        for text in volumes {
            do { parsedVolumes.append(try Volume(parsing: text)) } catch { throw ValidationError(error.description) }
        }
        if parsedVolumes.isEmpty {
            parsedVolumes = PathMapper.defaultVolumes(hostDirectory: cwd + "/data")
        }

        var logger = Logger(label: "conduit")
        logger.logLevel = logLevel
        var settings = ServerConfiguration(
            secretsPath: secrets, databasePath: db ?? ServerCommand.defaultDatabasePath(environment), actionsDirectory: actions, host: host, port: resolvedPort, root: resolvedRoot,
            volumes: parsedVolumes, maxAge: maxAge, maxSkew: maxSkew, bodyLimit: bodyLimit,
            defaultExpiry: defaultExpires, heartbeat: .seconds(heartbeat))
        settings.auditing = !benchmarkWithoutAudit
        let configuration = settings
        for volume in parsedVolumes where !FileManager.default.fileExists(atPath: volume.host) {
            logger.warning("volume host directory does not exist: \(volume.host)")
        }
        logger.info("database: \(configuration.databasePath)")
        let app: any ApplicationProtocol
        do {
            app = try await buildApplication(configuration: configuration, logger: logger) { port in
                // Written straight to the descriptor so a reading process sees it at once.
                FileHandle.standardOutput.write(Data("ccc-server listening on http://\(configuration.host):\(port)\n".utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("ccc-server: error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        do {
            try await app.runService()
        } catch {
            FileHandle.standardError.write(Data("ccc-server: error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

extension ServerCommand {
    /// `$XDG_STATE_HOME/conduit/conduit.sqlite`, else `~/.local/state/conduit/conduit.sqlite`.
    static func defaultDatabasePath(_ environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/conduit/conduit.sqlite" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/conduit/conduit.sqlite"
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
