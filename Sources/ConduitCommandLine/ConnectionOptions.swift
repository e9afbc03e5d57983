import ArgumentParser
import AsyncHTTPClient
import ConduitClient
import Foundation

/// Where a client program (`ccc-client`'s commands, `ccc-queue`) finds its secrets, user and
/// broker: `--secrets`, `--user`, `--server`, else `CCC_SECRETS` / `CCC_USER` / `CCC_SERVER`, else
/// the defaults (``ClientSettings``).
public struct ConnectionOptions: ParsableArguments {
    @Option(help: "The secrets file holding your user's secret (env CCC_SECRETS). [default: \(ClientSettings.defaultSecretsPath)]")
    public var secrets: String?

    @Option(help: "Your user name (env CCC_USER); defaults to the only user of the secrets file.")
    public var user: String?

    @Option(help: "The broker's URL (env CCC_SERVER). [default: \(ClientSettings.defaultServerURL)]")
    public var server: String?

    public init() {}

    /// The flags, else the environment, else the defaults.
    public var settings: ClientSettings {
        ClientSettings(secrets: secrets, user: user, server: server, environment: ProcessInfo.processInfo.environment)
    }

    /// Runs `body` with a signing client of its own; the secrets are read (and checked) before
    /// anything is sent.
    public func withClient<Result: Sendable>(_ body: (ConduitHTTPClient) async throws -> Result) async throws -> Result {
        let settings = settings
        return try await ConduitHTTPClient.withClient(
            serverURL: settings.serverURL, credentials: try settings.loadCredentials(), body)
    }

    /// A signing client over `httpClient` (for programs that own their HTTP client's lifetime).
    public func client(httpClient: HTTPClient) throws -> ConduitHTTPClient {
        let settings = settings
        return try ConduitHTTPClient(serverURL: settings.serverURL, credentials: try settings.loadCredentials(), httpClient: httpClient)
    }
}
