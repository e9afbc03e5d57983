import ConduitClient
import ConduitCore
import Foundation
import Testing

/// What the server acknowledged is in SQLite before it answers: it survives SIGTERM and `kill -9`.
@Suite("Durable records (real binary)")
struct DurabilityTests {
    @Test(arguments: [SIGTERM, SIGKILL])
    func queuedRequestsSurviveARestart(_ stopSignal: Int32) async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        _ = try workspace.keygen("--create", "user,agent")
        let credentials = try ClientCredentials.load(secretsPath: workspace.file("secrets.json"), user: "agent")

        var server = try ServerProcess(arguments: ["--secrets", "secrets.json"], in: workspace.path)
        var ids: [String] = []
        for index in 0..<5 {
            let queued = try workspace.client(
                [#"{"action":"open-browser","url":"https://example.com/\#(index)"}"#],
                environment: ["CCC_SERVER": server.url, "CCC_SECRETS": "secrets.json", "CCC_USER": "agent"])
            #expect(queued.exitCode == 0, "\(queued)")
            ids.append(try #require(try JSONValue.parse(Array(queued.stdout.utf8))["id"]?.stringValue))
        }
        server.signal(stopSignal)
        _ = server.stop()

        server = try ServerProcess(arguments: ["--secrets", "secrets.json"], in: workspace.path)
        defer { server.stop() }
        let url = server.url
        for (index, id) in ids.enumerated() {
            let response = try await ConduitHTTPClient.withClient(serverURL: url, credentials: credentials) { client in
                try await client.send(method: "GET", target: "/v1/actions/\(id)")
            }
            #expect(response.status == 200)
            #expect(response.json?["status"] == "pending")
            #expect(response.json?["params"] == ["url": .string("https://example.com/\(index)")])
        }
    }
}
