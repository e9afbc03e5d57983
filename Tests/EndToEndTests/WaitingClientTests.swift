import ConduitClient
import ConduitCore
import ConduitTestSupport
import Foundation
import Testing

/// `ccc-client` waits for a queued request's outcome and says how it ended with its exit code.
@Suite("Waiting client (real binaries)")
struct WaitingClientTests {
    static func withServer(_ body: (Workspace, ServerProcess) async throws -> Void) async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.createUsers()
        try workspace.write("actions/ask.yaml", "description: Waits for a person.\npolicy: queue\n")
        try workspace.write("actions/ask-briefly.yaml", "description: Expires in a second.\npolicy: queue\nexpires: 1\n")
        let server = try workspace.startServer()
        defer { server.stop() }
        try await body(workspace, server)
    }

    func waitingClient(_ workspace: Workspace, _ server: ServerProcess, _ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(
            Binaries.path("ccc-client"), ["--secrets", "agent-secrets.json"] + arguments, in: workspace.path,
            environment: ["CCC_SERVER": server.url])
    }

    /// The id of the one pending request `user` may decide, once it is there.
    func pendingID(_ workspace: Workspace, _ server: ServerProcess) async throws -> String {
        try await workspace.withClient(as: "user", server: server) { client in
            for _ in 0..<250 {
                if let id = try await client.queue().json?["pending"]?.arrayValue?.first?["id"]?.stringValue { return id }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw Workspace.SetupFailed(description: "nothing was queued")
        }
    }

    @Test func anApprovedRequestExits0AndADeniedOneExits1WithTheReason() async throws {
        try await Self.withServer { workspace, server in
            let approved = try waitingClient(workspace, server, [#"{"action":"ask"}"#])
            let first = try await pendingID(workspace, server)
            _ = try await workspace.withClient(as: "user", server: server) { try await $0.approve(id: first) }
            let approvedResult = approved.finish()
            #expect(approvedResult.exitCode == 0, "\(approvedResult)")
            #expect(try JSONValue.parse(Array(approvedResult.stdout.utf8))["status"] == "completed")

            let denied = try waitingClient(workspace, server, [#"{"action":"ask"}"#])
            let second = try await pendingID(workspace, server)
            _ = try await workspace.withClient(as: "user", server: server) { try await $0.deny(id: second, reason: "use the staging URL") }
            let deniedResult = denied.finish()
            #expect(deniedResult.exitCode == 1, "\(deniedResult)")
            #expect(deniedResult.stdout.contains("use the staging URL"))
        }
    }

    @Test func anExpiredRequestExits5() async throws {
        try await Self.withServer { workspace, server in
            let result = try waitingClient(workspace, server, [#"{"action":"ask-briefly"}"#]).finish()
            #expect(result.exitCode == 5, "\(result)")
            let record = try JSONValue.parse(Array(result.stdout.utf8))
            #expect(record["status"] == "expired")
            #expect(record["decision"] == nil, "an expiry is not a denial")
        }
    }

    @Test func aCanceledRequestExits6() async throws {
        try await Self.withServer { workspace, server in
            let waiting = try waitingClient(workspace, server, [#"{"action":"ask"}"#])
            let id = try await pendingID(workspace, server)
            let canceled = try await workspace.withClient(as: "agent", server: server) { try await $0.cancel(id: id) }
            #expect(canceled.status == 200)
            let result = waiting.finish()
            #expect(result.exitCode == 6, "\(result)")
        }
    }

    @Test func aRequestNobodyDecidedInTimeIsWithdrawnAndExits7() async throws {
        try await Self.withServer { workspace, server in
            let started = Date()
            let result = try waitingClient(workspace, server, ["--timeout", "1", #"{"action":"ask"}"#]).finish()
            #expect(result.exitCode == 7, "\(result)")
            let record = try JSONValue.parse(Array(result.stdout.utf8))
            #expect(record["status"] == "canceled", "withdrawn, so no later approval runs it: \(result)")
            #expect(result.stderr.contains("withdrew request"), "\(result)")
            #expect(Date().timeIntervalSince(started) < 10)
            // The broker agrees: nothing is left for a person to approve.
            #expect(try await ApproverSafetyEndToEndTests.queue(in: workspace, of: server) == [])
            let id = try #require(record["id"]?.stringValue)
            let late = try await workspace.withClient(as: "user", server: server) { try await $0.approve(id: id) }
            #expect(late.status == 409, "\(late.json?.compactText ?? "")")
        }
    }

    @Test func grantsListsRememberedApprovalsAndRevokeTakesOneBack() async throws {
        try await Self.withServer { workspace, server in
            let queued = try workspace.client(
                ["--secrets", "agent-secrets.json", "--no-wait", #"{"action":"ask"}"#], environment: ["CCC_SERVER": server.url])
            let id = try #require(try JSONValue.parse(Array(queued.stdout.utf8))["id"]?.stringValue)
            _ = try await workspace.withClient(as: "user", server: server) { try await $0.approve(id: id, remember: 600) }
            let env = ["CCC_SERVER": server.url]
            let listed = try workspace.client(["grants", "--secrets", "user-secrets.json"], environment: env)
            #expect(listed.exitCode == 0, "\(listed)")
            let grants = try #require(try JSONValue.parse(Array(listed.stdout.utf8))["grants"]?.arrayValue)
            #expect(grants.count == 1 && grants.first?["action"] == "ask")
            let grant = try #require(grants.first?["id"]?.stringValue)
            let bySubmitter = try workspace.client(["grants", "revoke", grant, "--secrets", "agent-secrets.json"], environment: env)
            #expect(bySubmitter.exitCode == 1, "only an approver may revoke: \(bySubmitter)")
            let revoked = try workspace.client(["grants", "revoke", grant, "--secrets", "user-secrets.json"], environment: env)
            #expect(revoked.exitCode == 0, "\(revoked)")
            let after = try workspace.client(["grants", "list", "--secrets", "user-secrets.json"], environment: env)
            #expect(try JSONValue.parse(Array(after.stdout.utf8))["grants"] == [], "\(after)")
            let unknown = try workspace.client(["grants", "revoke", "no-such-grant", "--secrets", "user-secrets.json"], environment: env)
            #expect(unknown.exitCode == 2, "\(unknown)")
        }
    }
}
