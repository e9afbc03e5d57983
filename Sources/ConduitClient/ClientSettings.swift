/// Where a client program (`ccc-client`, `ccc-queue`) finds its secrets, user and broker: the flag,
/// else `CCC_SECRETS` / `CCC_USER` / `CCC_SERVER`, else the default. The command passes the
/// environment in; this library never reads it.
public struct ClientSettings: Sendable, Equatable {
    public static let defaultSecretsPath = "secrets.json"
    public static let defaultServerURL = "http://127.0.0.1:3015"

    public var secretsPath: String
    /// `nil`: the only user of the secrets file.
    public var user: String?
    public var serverURL: String

    public init(secrets: String?, user: String?, server: String?, environment: [String: String]) {
        secretsPath = secrets ?? environment["CCC_SECRETS"] ?? Self.defaultSecretsPath
        self.user = user ?? environment["CCC_USER"]
        serverURL = server ?? environment["CCC_SERVER"] ?? Self.defaultServerURL
    }

    /// The user's credentials from ``secretsPath``.
    public func loadCredentials() throws(ClientError) -> ClientCredentials {
        try ClientCredentials.load(secretsPath: secretsPath, user: user)
    }
}
