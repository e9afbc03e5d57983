import Foundation

/// How the broker runs coding agents: where run policies and projects are, how many runs may be
/// active, which runner and client programs, where worktrees and attempt credentials go.
public struct RunConfiguration: Sendable, Equatable {
    /// The directory of run policy files (`--runs`).
    public var policiesDirectory: String
    /// Whether that directory must exist (it was given explicitly, not the default `./runs`).
    public var policiesRequired: Bool
    /// Projects by name: host git repositories (`--project NAME=PATH`).
    public var projects: [String: String]
    /// Runs whose runner or checks may be active at once (`--max-active-runs`).
    public var maxActiveRuns: Int
    /// The Claude Code executable (`--claude`, `CONDUIT_CLAUDE`): a path, or a name on `PATH`.
    public var runnerProgram: String
    /// The `ccc-client` the runner's hook and MCP server are (default: beside `ccc-server`).
    public var clientProgram: String?
    /// Where worktrees go (default: `worktrees/` beside the database).
    public var worktrees: String?
    /// The broker's environment, which runners get a scrubbed part of (the command passes it in:
    /// libraries never read the environment).
    public var environment: [String: String] = [:]

    public init(
        policiesDirectory: String = ServerDefaults.runs, policiesRequired: Bool = false, projects: [String: String] = [:],
        maxActiveRuns: Int = ServerDefaults.maxActiveRuns, runnerProgram: String = ServerDefaults.claude,
        clientProgram: String? = nil, worktrees: String? = nil
    ) {
        self.policiesDirectory = policiesDirectory
        self.policiesRequired = policiesRequired
        self.projects = projects
        self.maxActiveRuns = maxActiveRuns
        self.runnerProgram = runnerProgram
        self.clientProgram = clientProgram
        self.worktrees = worktrees
    }

    /// The broker's data directory, absolute: the database's, or the working directory for `:memory:`.
    /// (Absolute because git is run with `-C PROJECT`: a relative worktree path would land inside the project.)
    public static func dataDirectory(databasePath: String) -> String {
        let workingDirectory = FileManager.default.currentDirectoryPath
        guard databasePath != ":memory:" else { return workingDirectory }
        let directory = (databasePath as NSString).deletingLastPathComponent
        return absolute(directory.isEmpty ? "." : directory, in: workingDirectory)
    }

    /// `path` made absolute against `directory`, `.` and `..` resolved.
    public static func absolute(_ path: String, in directory: String) -> String {
        ((path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)) as NSString).standardizingPath
    }
}
