import ConduitCore
import ConduitTestSupport
import Foundation
import Testing

/// `ccc-keygen` through the real binary: every operation, and one clear line for every mistake.
@Suite("ccc-keygen (real binary)")
struct KeygenTests {
    func mode(of path: String) -> mode_t {
        var info = stat()
        stat(path, &info)
        return info.st_mode & 0o777
    }

    @Test func everyEditIsAppliedAtomicallyAndKeepsMode0600() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        #expect(try workspace.keygen("--create", "user,agent").exitCode == 0)
        let created = try SecretsFile.load(from: workspace.file("secrets.json"))

        #expect(try workspace.keygen("--add", "ci").exitCode == 0)
        #expect(try workspace.keygen("--grant", "user:ci").exitCode == 0)
        #expect(try workspace.keygen("--grant", "user:agent").exitCode == 0)
        #expect(try workspace.keygen("--revoke", "user:ci").exitCode == 0)
        #expect(try workspace.keygen("--rotate", "agent").exitCode == 0)
        #expect(try workspace.keygen("--remove", "ci").exitCode == 0)

        let edited = try SecretsFile.load(from: workspace.file("secrets.json"))
        #expect(edited.userNames == ["agent", "user"])
        #expect(edited["user"]?.canApprove == ["agent"])
        #expect(edited["user"]?.secret == created["user"]?.secret)
        #expect(edited["agent"]?.secret != created["agent"]?.secret)
        #expect(mode(of: workspace.file("secrets.json")) == 0o600)
        let stray = try FileManager.default.contentsOfDirectory(atPath: workspace.path).filter { $0.hasPrefix(".secrets") }
        #expect(stray.isEmpty)
    }

    @Test func anEditRemindsThatARunningServerNeedsSIGHUP() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        #expect(try workspace.keygen("--create", "user,agent").exitCode == 0)
        for arguments in [["--add", "ci"], ["--rotate", "ci"], ["--grant", "user:ci"], ["--revoke", "user:ci"], ["--remove", "ci"]] {
            let result = try Command.run(Binaries.path("ccc-keygen"), arguments, in: workspace.path)
            #expect(result.exitCode == 0 && result.stdout.contains("reads secrets.json again on SIGHUP"), "\(arguments): \(result)")
        }
    }

    @Test func aMistypedOptionIsNamedWithTheOneMeant() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try workspace.keygen("--grnat", "user:agent")
        #expect(result.exitCode != 0)
        #expect(result.stderr.contains("unknown option --grnat — did you mean --grant?"), "\(result)")
        #expect(!result.stderr.contains("choose exactly one"), "\(result)")
    }

    @Test func createRefusesToOverwriteWithoutForce() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        #expect(try workspace.keygen("--create", "agent").exitCode == 0)
        let before = workspace.read("secrets.json")
        let refused = try workspace.keygen("--create", "agent")
        #expect(refused.exitCode != 0)
        #expect(refused.stderr == "ccc-keygen: error: secrets.json already exists; pass --force to overwrite it\n")
        #expect(workspace.read("secrets.json") == before)
        #expect(try workspace.keygen("--create", "agent", "--force").exitCode == 0)
        #expect(workspace.read("secrets.json") != before)
    }

    @Test(arguments: [
        ["--grant", "bob:agent"], ["--grant", "agent:agent"], ["--grant", "agent"], ["--remove", "bob"],
        ["--rotate", "bob"], ["--filter", "bob", "--output", "x.json"], ["--add", "agent"], ["--add", "bad name"],
        ["--filter", "agent"], [], ["--add", "a", "--remove", "b"], ["--create", ","],
    ])
    func mistakesAreOneClearLineAndANonZeroExitAndChangeNothing(_ arguments: [String]) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        #expect(try workspace.keygen("--create", "user,agent").exitCode == 0)
        let before = workspace.read("secrets.json")
        let result = try Command.run(Binaries.path("ccc-keygen"), arguments, in: workspace.path)
        #expect(result.exitCode != 0, "\(result)")
        #expect(result.stderr.lowercased().contains("error"), "\(result)")
        #expect(workspace.read("secrets.json") == before)
        #expect(!FileManager.default.fileExists(atPath: workspace.file("x.json")))
    }

    @Test func aGroupReadableFileIsRefusedForEditing() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        #expect(try workspace.keygen("--create", "user,agent").exitCode == 0)
        chmod(workspace.file("secrets.json"), 0o644)
        let result = try workspace.keygen("--add", "ci")
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("chmod 600"))
    }
}
