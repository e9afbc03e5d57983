import ArgumentParser
import ConduitClient
import Foundation

/// Where every `ccc-client` command finds its secrets, user and broker.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "The secrets file holding your user's secret (env CCC_SECRETS). [default: secrets.json]")
    var secrets: String?

    @Option(help: "Your user name (env CCC_USER); defaults to the only user of the secrets file.")
    var user: String?

    @Option(help: "The broker's URL (env CCC_SERVER). [default: http://127.0.0.1:3015]")
    var server: String?

    /// Runs `body` with a signing client for the flags, else `CCC_*`, else the defaults; the
    /// secrets are read (and checked) before anything is sent.
    func withClient<Result: Sendable>(_ body: (ConduitHTTPClient) async throws -> Result) async throws -> Result {
        let settings = ClientSettings(
            secrets: secrets, user: user, server: server, environment: ProcessInfo.processInfo.environment)
        return try await ConduitHTTPClient.withClient(
            serverURL: settings.serverURL, credentials: try settings.loadCredentials(), body)
    }
}
