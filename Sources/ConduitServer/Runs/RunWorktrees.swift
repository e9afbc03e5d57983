import ConduitCore
import Foundation
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Each run's own git worktree, on the branch `conduit/<run id>` from the project's HEAD, and the
/// commit of what each attempt changed (`conduit: attempt N`), made before the checks run so the
/// checks and the branch see the same tree.
///
/// git runs with the settings that keep a repository's own configuration from making it run
/// programs (``HostProgramEnvironment``: hooks, fsmonitor…): the agent writes to the repository, and
/// these commands run as the broker.
public struct RunWorktrees: Sendable {
    /// Where the worktrees live (one directory per run, named by its id).
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// Why a git step failed, with git's own words.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var step: String
        public var output: String
        public var description: String { "\(step) failed: \(output)" }
    }

    /// The worktree of run `id`.
    public func path(ofRun id: String) -> String { (directory as NSString).appendingPathComponent(id) }

    /// Whether `path` is inside a git work tree.
    public static func isRepository(_ path: String) async -> Bool {
        (try? await git(["-C", path, "rev-parse", "--is-inside-work-tree"], step: "rev-parse")) == "true"
    }

    /// Adds run `id`'s worktree to `project` on a new branch from its HEAD; returns its path.
    public func create(run id: String, project: String) async throws(Failure) -> String {
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure(step: "creating \(directory)", output: "\(error)")
        }
        let worktree = path(ofRun: id)
        _ = try await Self.git(
            ["-C", project, "worktree", "add", "--quiet", "-b", RunRecord.branch(forRun: id), worktree, "HEAD"],
            step: "git worktree add")
        return worktree
    }

    /// Commits everything attempt `number` changed in run `id`'s worktree of `project`; returns
    /// the commit's `--stat`, or nil when nothing changed (no commit is made then).
    ///
    /// git is told the worktree's own repository (`--git-dir`, `--work-tree`) rather than asked to
    /// find it: the worktree's `.git` is a file the agent can rewrite, and one pointing at another
    /// repository would make the broker commit there, under that repository's configuration.
    public func commitAttempt(_ number: Int, run id: String, project: String) async throws(Failure) -> String? {
        let common = try await Self.git(
            ["-C", project, "rev-parse", "--path-format=absolute", "--git-common-dir"], step: "git rev-parse")
        let repository = ["--git-dir=\(common)/worktrees/\(id)", "--work-tree=\(path(ofRun: id))"]
        let branch = try await Self.git(repository + ["symbolic-ref", "--short", "HEAD"], step: "git symbolic-ref")
        guard branch == RunRecord.branch(forRun: id) else {
            throw Failure(step: "checking the branch", output: "the worktree is on \(branch), not \(RunRecord.branch(forRun: id))")
        }
        _ = try await Self.git(repository + ["add", "--all"], step: "git add")
        let status = try await Self.git(repository + ["status", "--porcelain"], step: "git status")
        guard !status.isEmpty else { return nil }
        _ = try await Self.git(
            repository + [
                "-c", "user.name=Conduit", "-c", "user.email=conduit@localhost", "commit", "--quiet", "--no-verify", "-m",
                "conduit: attempt \(number)",
            ], step: "git commit")
        return try await Self.git(repository + ["show", "--stat", "--format=", "HEAD"], step: "git show")
    }

    /// Runs git with `arguments`; returns its standard output, trimmed.
    static func git(_ arguments: [String], step: String) async throws(Failure) -> String {
        var overrides: [Environment.Key: String?] = ["GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"]
        for (key, value) in ProgramLocation.environmentKeys(HostProgramEnvironment.variables) { overrides[key] = value }
        do {
            let result = try await Subprocess.run(
                .name("git"), arguments: Arguments(arguments), environment: .inherit.updating(overrides),
                output: .string(limit: 4 << 20), error: .string(limit: 1 << 20))
            let output = result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            guard result.terminationStatus.isSuccess else {
                let said = result.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
                throw Failure(step: step, output: said.isEmpty ? "\(result.terminationStatus)" : said)
            }
            return output
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(step: step, output: "cannot run git: \(error)")
        }
    }
}
