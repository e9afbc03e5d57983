import ConduitCore
import Foundation
import Logging

extension ServerConfiguration {
    /// The configuration that resolved `settings` describe. The defaults are ``ServerSettings``'s
    /// (its keys); `workingDirectory` is where the default volumes (`./data/…`) are.
    /// - Throws: ``ServerSettings/Problem`` naming the setting at fault and how to give it.
    public init(settings: ServerSettings, workingDirectory: String) throws(ServerSettings.Problem) {
        let root = try settings.required(string: "root")
        guard root.hasPrefix("/") else {
            throw ServerSettings.Problem(description: "root must be an absolute container path, got \"\(root)\"")
        }
        var volumes: [Volume] = []
        for text in settings.list("volumes") {
            do {
                volumes.append(try Volume(parsing: text))
            } catch {
                throw ServerSettings.Problem(description: error.description)
            }
        }
        if volumes.isEmpty { volumes = ServerDefaults.volumes(workingDirectory: workingDirectory) }
        // Checked last, so that `config print` (which may run without one) sees every other problem.
        guard let secrets = settings.string("secrets") else { throw .missingSecrets }
        self.init(
            secretsPath: secrets, databasePath: try settings.required(string: "db"),
            actionsDirectory: try settings.required(string: "actions"), host: try settings.required(string: "host"),
            port: try settings.required(integer: "port"), root: root, volumes: volumes,
            maxAge: Int64(try settings.required(integer: "max-age")), maxSkew: Int64(try settings.required(integer: "max-skew")),
            bodyLimit: try settings.required(integer: "body-limit"), defaultExpiry: try settings.required(integer: "default-expires"),
            heartbeat: .seconds(try settings.required(integer: "heartbeat")))
        let notify = settings.list("notify")
        self.notify = notify.isEmpty ? nil : notify
        eventBuffer = try settings.required(integer: "event-buffer")
        var projects: [String: String] = [:]
        for text in settings.list("projects") {
            let (name, path) = try Self.project(text, workingDirectory: workingDirectory)
            guard projects[name] == nil else { throw ServerSettings.Problem(description: "project \"\(name)\" is named twice") }
            projects[name] = path
        }
        runs = RunConfiguration(
            policiesDirectory: try settings.required(string: "runs"), policiesRequired: settings.values["runs"]?.source != .default,
            projects: projects, maxActiveRuns: try settings.required(integer: "max-active-runs"),
            runnerProgram: Self.program(try settings.required(string: "claude"), workingDirectory: workingDirectory),
            worktrees: settings.string("worktrees").map { RunConfiguration.absolute($0, in: workingDirectory) })
    }

    /// A program named by a path is made absolute (the runner starts in a worktree); a bare name is
    /// looked up on `PATH`.
    static func program(_ text: String, workingDirectory: String) -> String {
        text.contains("/") ? RunConfiguration.absolute(text, in: workingDirectory) : text
    }

    /// `NAME=PATH`: a project name (lower-case letters, digits, '-') and its directory (made absolute).
    static func project(_ text: String, workingDirectory: String) throws(ServerSettings.Problem) -> (String, String) {
        guard let equals = text.firstIndex(of: "="), case let name = String(text[..<equals]),
            ActionDefinition.isValidActionName(name), case let path = String(text[text.index(after: equals)...]), !path.isEmpty
        else {
            throw ServerSettings.Problem(
                description: "a project is NAME=PATH (NAME: lower-case letters, digits and '-'), got \"\(text)\"")
        }
        return (name, RunConfiguration.absolute(path, in: workingDirectory))
    }
}

extension ServerSettings.Problem {
    /// No secrets file was given.
    public static let missingSecrets = ServerSettings.Problem(
        description: "the secrets file is required: --secrets FILE, CONDUIT_SECRETS, or 'secrets' in the config file")
}

extension ServerSettings {
    /// The `log-level` setting.
    public func logLevel() throws(Problem) -> Logger.Level {
        let text = try required(string: "log-level")
        guard let level = Logger.Level(rawValue: text) else {
            throw Problem(description: "log-level must be one of trace, debug, info, notice, warning, error, critical; got \"\(text)\"")
        }
        return level
    }

    /// The string `key` resolves to (every key but `secrets` has a default).
    func required(string key: String) throws(Problem) -> String {
        guard let value = string(key) else { throw Problem(description: "the setting \(key) has no value") }
        return value
    }

    /// The number `key` resolves to.
    func required(integer key: String) throws(Problem) -> Int {
        guard let value = integer(key) else { throw Problem(description: "the setting \(key) has no value") }
        return value
    }
}
