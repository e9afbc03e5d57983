import ConduitCore
import ConduitServer
import ConduitTestSupport
import Foundation
import Testing

/// Runs' worktrees with the real git: a branch per run from the project's HEAD, one commit per
/// attempt that changed something, and no repository hook run as the broker.
@Suite("Run worktrees (real git)")
struct RunWorktreesTests {
    static func git(_ arguments: [String], in directory: String) throws -> String {
        let result = try Command.run("/usr/bin/git", arguments, in: directory, environment: [
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
        ])
        #expect(result.exitCode == 0, "git \(arguments): \(result)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A project with one commit and a pre-commit hook that leaves a mark when it runs.
    static func project(in directory: TemporaryDirectory) throws -> String {
        try directory.mkdir("project")
        let project = directory.file("project")
        _ = try git(["init", "--quiet", "-b", "main"], in: project)
        try directory.write("project/README", "hello\n")
        _ = try git(["add", "README"], in: project)
        _ = try git(["commit", "--quiet", "-m", "first"], in: project)
        try directory.write("project/.git/hooks/pre-commit", "#!/bin/sh\ntouch \(directory.file("hook-ran"))\n", mode: 0o755)
        return project
    }

    @Test func aRunsBranchHoldsEachAttemptsCommitAndTheProjectSeesTheWork() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let project = try Self.project(in: directory)
        let worktrees = RunWorktrees(directory: directory.file("data/worktrees"))
        let worktree = try await worktrees.create(run: "r1", project: project)
        #expect(worktree == directory.file("data/worktrees/r1"))
        #expect(await RunWorktrees.isRepository(worktree))
        #expect(try await worktrees.commitAttempt(1, run: "r1", project: project) == nil, "nothing changed, nothing committed")
        try directory.write("data/worktrees/r1/fix.txt", "fixed\n")
        let stat = try #require(try await worktrees.commitAttempt(1, run: "r1", project: project))
        #expect(stat.contains("fix.txt") && stat.contains("1 insertion"), "\(stat)")
        try directory.write("data/worktrees/r1/README", "hello again\n")
        _ = try #require(try await worktrees.commitAttempt(2, run: "r1", project: project))
        #expect(try Self.git(["log", "--format=%s", "main..conduit/r1"], in: project) == "conduit: attempt 2\nconduit: attempt 1")
        #expect(try Self.git(["diff", "--name-only", "HEAD...conduit/r1"], in: project) == "README\nfix.txt")
        #expect(!FileManager.default.fileExists(atPath: directory.file("hook-ran")), "the project's hook never ran")
        #expect(try Self.git(["status", "--porcelain"], in: project).isEmpty, "the project's own tree is untouched")
    }

    @Test func twoRunsNeverShareAWorktreeAndAFailureSaysGitsWords() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let project = try Self.project(in: directory)
        let worktrees = RunWorktrees(directory: directory.file("worktrees"))
        let first = try await worktrees.create(run: "a", project: project)
        let second = try await worktrees.create(run: "b", project: project)
        #expect(first != second)
        await #expect(throws: RunWorktrees.Failure.self) { try await worktrees.create(run: "a", project: project) }
        do {
            _ = try await worktrees.create(run: "c", project: directory.file("not-a-repository"))
            Issue.record("a missing project made a worktree")
        } catch {
            #expect(error.step == "git worktree add" && !error.output.isEmpty, "\(error)")
        }
        #expect(await !RunWorktrees.isRepository(directory.path))
    }

    /// The agent can rewrite the worktree's `.git` file: pointed at another repository, git would
    /// commit there (under that repository's configuration). The broker names the repository itself.
    @Test func aWorktreeWhoseGitFileNowPointsElsewhereStillCommitsToTheRunsBranchOnly() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let project = try Self.project(in: directory)
        try directory.mkdir("other")
        _ = try Self.git(["init", "--quiet", "-b", "main"], in: directory.file("other"))
        let worktrees = RunWorktrees(directory: directory.file("worktrees"))
        _ = try await worktrees.create(run: "r1", project: project)
        try directory.write("worktrees/r1/.git", "gitdir: \(directory.file("other/.git"))\n")
        try directory.write("worktrees/r1/fix.txt", "fixed\n")
        _ = try #require(try await worktrees.commitAttempt(1, run: "r1", project: project))
        #expect(try Self.git(["log", "--format=%s", "main..conduit/r1"], in: project) == "conduit: attempt 1")
        let other = try Command.run("/usr/bin/git", ["log", "--oneline"], in: directory.file("other"))
        #expect(other.exitCode != 0, "the other repository has no commit: \(other)")
    }
}
