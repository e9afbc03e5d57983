import ConduitCore
import ConduitTestSupport
import Foundation
import Testing

/// The README's five-minute tour, driven through the real binaries exactly as it is written there.
@Suite("README tour (real binaries)")
struct ReadmeTourTests {
    @Test func keygenServerClientAndFilterWorkAsTheREADMESays() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }

        // 1. Secrets for a person and an agent; the person approves the agent.
        let created = try workspace.keygen("--create", "user,agent")
        #expect(created.exitCode == 0, "\(created)")
        #expect(try workspace.keygen("--grant", "user:agent").exitCode == 0)
        let filtered = try workspace.keygen("--filter", "agent", "--output", "agent-secrets.json")
        #expect(filtered.exitCode == 0, "\(filtered)")
        var info = stat()
        stat(workspace.file("agent-secrets.json"), &info)
        #expect(info.st_mode & 0o777 == 0o600)
        let agentFile = try SecretsFile.load(from: workspace.file("agent-secrets.json"))
        #expect(agentFile.userNames == ["agent"])
        #expect(try SecretsFile.load(from: workspace.file("secrets.json"))["user"]?.canApprove == ["agent"])

        // 2. The broker with the shipped actions and the default volumes under ./data.
        let server = try ServerProcess(
            arguments: ["--secrets", "secrets.json"], in: workspace.path, environment: workspace.serverEnvironment)
        defer { server.stop() }
        let env = ["CCC_SERVER": server.url]

        // 3. The agent lists the actions and opens a file.
        let listed = try workspace.client(["--secrets", "agent-secrets.json", #"{"action": "list-actions"}"#], environment: env)
        #expect(listed.exitCode == 0, "\(listed)")
        #expect(listed.stdout.contains("\"edit-file\"") && listed.stdout.contains("\"open-browser\""))

        try workspace.write("data/workspace/hello.txt", "hello\n")
        let edited = try workspace.client(
            ["--secrets", "agent-secrets.json", #"{"action": "edit-file","#, #""filename": "hello.txt"}"#], environment: env)
        #expect(edited.exitCode == 0, "\(edited)")
        let answer = try JSONValue.parse(Array(edited.stdout.utf8))
        #expect(answer["status"] == "completed")
        #expect(answer["result"]?["exitCode"] == 0)
        #expect(workspace.read("bin/opened.log") == workspace.file("data/workspace/hello.txt") + "\n")

        // 4. A URL that is not local waits for a person: with --no-wait, the pending record, exit 0.
        let queued = try workspace.client(
            ["--secrets", "agent-secrets.json", "--no-wait", #"{"action": "open-browser", "url": "https://example.com"}"#],
            environment: env)
        #expect(queued.exitCode == 0, "\(queued)")
        #expect(try JSONValue.parse(Array(queued.stdout.utf8))["status"] == "pending")

        // 5. The server logged one line per request, never a secret.
        #expect(server.stop() == 0)
        let secret = agentFile["agent"]!.secret
        #expect(!server.log.contains(secret))
        #expect(server.log.contains("user=agent"))
    }
}
