import ConduitClient
import ConduitCore
import AsyncHTTPClient
import ConduitTestSupport
import Foundation

extension Workspace {
    /// `secrets.json` with `user` (who may approve `agent`) and `agent`, plus `agent-secrets.json`
    /// and `user-secrets.json` holding one user each, all written by the real `ccc-keygen`.
    func createUsers() throws {
        for arguments in [
            ["--create", "user,agent"], ["--grant", "user:agent"], ["--filter", "agent", "--output", "agent-secrets.json"],
            ["--filter", "user", "--output", "user-secrets.json"],
        ] {
            let result = try Command.run(Binaries.path("ccc-keygen"), arguments, in: path)
            guard result.exitCode == 0 else { throw SetupFailed(description: "ccc-keygen \(arguments): \(result)") }
        }
    }

    struct SetupFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `body` with a signing client for `user` (from `secrets.json`) against `server`.
    func withClient<T: Sendable>(
        as user: String, server: ServerProcess, _ body: (ConduitHTTPClient) async throws -> T
    ) async throws -> T {
        let credentials = try ClientCredentials.load(secretsPath: file("secrets.json"), user: user)
        return try await ConduitHTTPClient.withClient(serverURL: server.url, credentials: credentials, body)
    }
}

/// Clients whose connections outlive one call (event streams); ``shutdown()`` when done.
final class LongLivedClients: Sendable {
    let httpClient = ConduitHTTPClient.makeHTTPClient()

    /// A signing client for `user` (from the workspace's `secrets.json`) against `server`.
    func client(as user: String, in workspace: Workspace, server: ServerProcess) throws -> ConduitHTTPClient {
        let credentials = try ClientCredentials.load(secretsPath: workspace.file("secrets.json"), user: user)
        return try ConduitHTTPClient(serverURL: server.url, credentials: credentials, httpClient: httpClient)
    }

    func shutdown() async { try? await httpClient.shutdown() }
}
