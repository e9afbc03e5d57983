import ArgumentParser
import ConduitCore
import ConduitServer
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// The server's settings as flags. Each also comes from `CONDUIT_<KEY>` or the config file;
/// precedence: flags > environment > file > defaults (`ccc-server config print` shows the result).
struct ServerOptions: ParsableArguments {
    @Option(help: "The YAML config file (its keys are these flags' long names). [default: ~/.config/conduit/conduit.yaml, if present]")
    var config: String?

    @Option(help: "The secrets file (JSON, mode 0600). Required (flag, CONDUIT_SECRETS or config file).")
    var secrets: String?

    @Option(help: "Address to bind. Keep it on loopback unless containers reach the host another way. [default: \(ServerDefaults.host)]")
    var host: String?

    @Option(help: "Port to bind (0 picks a free port). [default: \(ServerDefaults.port)]")
    var port: Int?

    @Option(help: "Container directory that relative paths resolve against. [default: \(ServerDefaults.root)]")
    var root: String?

    @Option(
        name: .customLong("volume"),
        help: "A shared directory, HOST:CONTAINER (repeatable; config key 'volumes'). [default: ./data/workspace:/workspace and ./data/claude-home:/home/claude]")
    var volumes: [String] = []

    @Option(help: "Directory of action files. [default: \(ServerDefaults.actions)]")
    var actions: String?

    @Option(
        help: "The SQLite database (created if missing). [default: $XDG_STATE_HOME/conduit/conduit.sqlite, else ~/.local/state/conduit/conduit.sqlite]")
    var db: String?

    @Option(help: "Seconds a queued request waits for a person when its action file sets no 'expires'. [default: \(ServerDefaults.defaultExpires)]")
    var defaultExpires: Int?

    @Option(help: "Seconds between the heartbeat comments that keep /v1/events streams alive. [default: \(ServerDefaults.heartbeat)]")
    var heartbeat: Int?

    @Option(help: "Events a /v1/events subscriber may fall behind before it is told (event: overflow) and disconnected. [default: \(ServerDefaults.eventBuffer)]")
    var eventBuffer: Int?

    @Option(help: "Oldest acceptable signature, in seconds. [default: \(ServerDefaults.maxAge)]")
    var maxAge: Int?

    @Option(help: "Furthest acceptable clock skew into the future, in seconds. [default: \(ServerDefaults.maxSkew)]")
    var maxSkew: Int?

    @Option(help: "Largest accepted request body, in bytes. [default: \(ServerDefaults.bodyLimit)]")
    var bodyLimit: Int?

    @Option(
        parsing: .unconditionalSingleValue,
        help: "Command run when a request is queued, one argument per flag, e.g. --notify sh --notify -c --notify 'notify-send \"$1\"' (repeatable; a value may start with '-'; config key 'notify', a YAML list); the request's id, action and submitter are appended. No shell.")
    var notify: [String] = []

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. [default: \(ServerDefaults.logLevel)]")
    var logLevel: String?

    @Option(help: "Directory of run policy files, runs/NAME.yaml (README \"Running agents\"). [default: \(ServerDefaults.runs), if present]")
    var runs: String?

    @Option(
        name: .customLong("project"),
        help: "A project agents may be run on, NAME=PATH: a git repository (repeatable; config key 'projects', a mapping of names to paths).")
    var projects: [String] = []

    @Option(help: "Runs whose agent or checks may be active at once; the rest wait, queued. [default: \(ServerDefaults.maxActiveRuns)]")
    var maxActiveRuns: Int?

    @Option(help: "The Claude Code executable that runs start (env CONDUIT_CLAUDE). [default: \(ServerDefaults.claude) on PATH]")
    var claude: String?

    @Option(help: "Where runs' git worktrees are made (kept after the run). [default: worktrees/ beside the database]")
    var worktrees: String?

    /// Flags, environment, config file and defaults, merged.
    func settings() throws -> ServerSettings {
        var flags: [String: ServerSettings.Value] = [:]
        for (key, value) in [
            ("secrets", secrets), ("host", host), ("root", root), ("actions", actions), ("db", db), ("log-level", logLevel),
            ("runs", runs), ("claude", claude), ("worktrees", worktrees),
        ] {
            if let value { flags[key] = .string(value) }
        }
        for (key, value) in [
            ("port", port), ("default-expires", defaultExpires), ("heartbeat", heartbeat), ("max-age", maxAge),
            ("max-skew", maxSkew), ("body-limit", bodyLimit), ("event-buffer", eventBuffer), ("max-active-runs", maxActiveRuns),
        ] {
            if let value { flags[key] = .integer(value) }
        }
        if !volumes.isEmpty { flags["volumes"] = .list(volumes) }
        if !notify.isEmpty { flags["notify"] = .list(notify) }
        if !projects.isEmpty { flags["projects"] = .list(projects) }
        return try Self.resolve(flags: flags, config: config)
    }

    /// The one way every subcommand resolves settings: `flags`, `CONDUIT_*`, the config file
    /// (`config`, else `CONDUIT_CONFIG`, else the default path if it exists) and the defaults.
    static func resolve(flags: [String: ServerSettings.Value], config: String?) throws -> ServerSettings {
        let environment = ProcessInfo.processInfo.environment
        let path = config ?? environment["CONDUIT_CONFIG"] ?? ServerCommand.defaultConfigPath(environment)
        var file: (path: String, text: String)?
        if FileManager.default.fileExists(atPath: path) {
            do {
                file = (path, try String(contentsOfFile: path, encoding: .utf8))
            } catch {
                throw ValidationError("cannot read the config file \(path): \(error.localizedDescription)")
            }
        } else if config != nil || environment["CONDUIT_CONFIG"] != nil {
            throw ValidationError("no config file at \(path)")
        }
        do {
            return try ServerSettings(
                flags: flags, environment: environment, file: file,
                defaultDatabase: ServerCommand.defaultDatabasePath(environment),
                defaultVolumes: ServerDefaults.volumes(workingDirectory: FileManager.default.currentDirectoryPath).map(\.description))
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The configuration the server runs with (ConduitServer's ``ServerConfiguration/init(settings:workingDirectory:)``).
    func serverConfiguration(_ settings: ServerSettings) throws -> ServerConfiguration {
        do {
            return try ServerConfiguration(settings: settings, workingDirectory: FileManager.default.currentDirectoryPath)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func logLevel(_ settings: ServerSettings) throws -> Logger.Level {
        do {
            return try settings.logLevel()
        } catch {
            throw ValidationError(error.description)
        }
    }
}
