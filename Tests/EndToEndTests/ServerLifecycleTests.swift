import ConduitCore
import ConduitTestSupport
import Foundation
import Testing

/// Start-up checks, SIGHUP reloads and graceful shutdown of the real `ccc-server`.
@Suite("ccc-server lifecycle (real binary)")
struct ServerLifecycleTests {
    static func workspaceWithKeys() throws -> Workspace {
        let workspace = try Workspace()
        _ = try workspace.keygen("--create", "user,agent")
        return workspace
    }

    @Test func sigtermShutsDownGracefullyWithExit0() throws {
        let workspace = try Self.workspaceWithKeys()
        defer { workspace.remove() }
        for _ in 0..<3 {
            let server = try ServerProcess(arguments: ["--secrets", "secrets.json"], in: workspace.path)
            #expect(server.stop() == 0, "\(server.log)")
        }
        let interrupted = try ServerProcess(arguments: ["--secrets", "secrets.json"], in: workspace.path)
        interrupted.signal(SIGINT)
        #expect(interrupted.stop() == 0, "\(interrupted.log)")
    }

    @Test func conduitRootAndPortComeFromTheEnvironmentWhenFlagsAreAbsent() throws {
        let workspace = try Self.workspaceWithKeys()
        defer { workspace.remove() }
        let server = try ServerProcess(
            arguments: ["--secrets", "secrets.json"], in: workspace.path,
            environment: workspace.serverEnvironment.merging(["CONDUIT_ROOT": "/home/claude"]) { $1 })
        defer { server.stop() }
        let result = try workspace.client(
            [#"{"action":"edit-file","filename":"notes.txt"}"#],
            environment: ["CCC_SERVER": server.url, "CCC_SECRETS": "secrets.json", "CCC_USER": "agent"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(workspace.read("bin/opened.log") == workspace.file("data/claude-home/notes.txt") + "\n")

        let badPort = try Command.run(
            Binaries.path("ccc-server"), ["--secrets", "secrets.json"], in: workspace.path,
            environment: ["CONDUIT_PORT": "http"])
        #expect(badPort.exitCode != 0)
        #expect(badPort.stderr.contains("CONDUIT_PORT"), "\(badPort)")
    }

    @Test func aTakenPortIsNamedWithTheAddressAndWhatToDo() throws {
        let workspace = try Self.workspaceWithKeys()
        defer { workspace.remove() }
        let first = try ServerProcess(arguments: ["--secrets", "secrets.json"], in: workspace.path)
        defer { first.stop() }
        let second = try Command.run(
            Binaries.path("ccc-server"), ["--secrets", "secrets.json", "--port", String(first.port), "--db", "second.sqlite"],
            in: workspace.path)
        #expect(second.exitCode == 1, "\(second)")
        #expect(
            second.stderr.contains("cannot listen on 127.0.0.1:\(first.port): the address is already in use"), "\(second)")
        #expect(second.stderr.contains("another --port"), "\(second)")
        #expect(!second.stderr.contains("expiry sweep failed"), "\(second)")
    }

    @Test func theExampleSecretsFileIsRefusedBecauseItsSecretsArePublic() throws {
        let workspace = try Self.workspaceWithKeys()
        defer { workspace.remove() }
        try FileManager.default.removeItem(atPath: workspace.file("secrets.json"))
        try FileManager.default.copyItem(atPath: Binaries.repository + "/secrets.example.json", toPath: workspace.file("secrets.json"))
        chmod(workspace.file("secrets.json"), 0o600)
        let result = try Command.run(Binaries.path("ccc-server"), ["--secrets", "secrets.json", "--port", "0"], in: workspace.path)
        #expect(result.exitCode != 0)
        #expect(result.stderr.contains("is the public example of secrets.example.json"), "\(result)")
    }

    @Test func aGroupReadableSecretsFileStopsTheServerWithTheFix() throws {
        let workspace = try Self.workspaceWithKeys()
        defer { workspace.remove() }
        chmod(workspace.file("secrets.json"), 0o644)
        let result = try Command.run(Binaries.path("ccc-server"), ["--secrets", "secrets.json", "--port", "0"], in: workspace.path)
        #expect(result.exitCode != 0)
        #expect(result.stderr.contains("chmod 600 secrets.json"), "\(result)")
    }

    @Test func anInvalidActionFileStopsTheServerNamingFileAndField() throws {
        let workspace = try Self.workspaceWithKeys()
        defer { workspace.remove() }
        try workspace.write("actions/broken.yaml", "description: x\npolicy: sometimes\n")
        let result = try Command.run(Binaries.path("ccc-server"), ["--secrets", "secrets.json", "--port", "0"], in: workspace.path)
        #expect(result.exitCode != 0)
        #expect(result.stderr.contains("broken.yaml: policy:"), "\(result)")
    }

    @Test func sighupReloadsActionsAndSecretsAndKeepsTheOldOnesWhenInvalid() throws {
        let workspace = try Self.workspaceWithKeys()
        defer { workspace.remove() }
        let server = try ServerProcess(arguments: ["--secrets", "secrets.json"], in: workspace.path)
        defer { server.stop() }
        let env = ["CCC_SERVER": server.url, "CCC_SECRETS": "secrets.json", "CCC_USER": "agent"]
        func actions() throws -> String { try workspace.client([#"{"action":"list-actions"}"#], environment: env).stdout }

        // A new valid action appears.
        try workspace.write("actions/ping.yaml", "description: Ping.\npolicy: auto-accept\n")
        #expect(server.reload())
        #expect(try actions().contains("\"ping\""))

        // An invalid file is refused; the previous catalog stays in force.
        try workspace.write("actions/zzz.yaml", "description: x\npolicy: sometimes\n")
        #expect(server.reload())
        #expect(server.log.contains("reload refused"))
        #expect(try actions().contains("\"ping\""))
        try FileManager.default.removeItem(atPath: workspace.file("actions/zzz.yaml"))

        // A rotated secret takes effect: the old one is refused, the new one works.
        let old = try workspace.keygen("--filter", "agent", "--output", "old-agent.json")
        #expect(old.exitCode == 0)
        #expect(try workspace.keygen("--rotate", "agent").exitCode == 0)
        #expect(server.reload())
        let stale = try workspace.client(["--secrets", "old-agent.json", #"{"action":"list-actions"}"#], environment: env)
        #expect(stale.exitCode == 3, "\(stale)")
        #expect(stale.stderr.contains("holds a different secret for \"agent\"") && stale.stderr.contains("SIGHUP"), "\(stale)")
        #expect(server.log.contains("reason=invalid_signature"), "the log line of the 401 says why:\n\(server.log)")
        #expect(try workspace.client([#"{"action":"list-actions"}"#], environment: env).exitCode == 0)
        #expect(server.stop() == 0)
    }
}
