import ConduitCore

/// Who signs: a user name and that user's key, read from a secrets file (never from the environment).
public struct ClientCredentials: Sendable {
    public var user: String
    public var key: [UInt8]

    public init(user: String, key: [UInt8]) {
        self.user = user
        self.key = key
    }

    /// Reads `path` (refusing a group- or world-accessible file) and picks `user`, or the file's
    /// only user when `user` is nil.
    public static func load(secretsPath path: String, user: String?) throws(ClientError) -> ClientCredentials {
        let secrets: Secrets
        do {
            secrets = try SecretsFile.load(from: path)
        } catch {
            throw .usage(error.description)
        }
        let name: String
        if let user {
            name = user
        } else if secrets.users.count == 1, let only = secrets.userNames.first {
            name = only
        } else {
            throw .usage("\(path) holds several users (\(secrets.userNames.joined(separator: ", "))); pass --user or set CCC_USER")
        }
        guard let entry = secrets[name] else { throw .usage("\(path) has no user \"\(name)\"") }
        return ClientCredentials(user: name, key: entry.keyBytes)
    }
}
