/// The users a broker knows: each one's secret and whom they may approve.
///
/// `Secrets` is a plain value; ``SecretsFile`` reads and writes it. Validation enforces what the
/// security model needs: long secrets, and nobody approving their own requests.
public struct Secrets: Sendable, Equatable {
    /// The shortest secret accepted, in characters.
    public static let minimumSecretLength = 32

    /// Entries by user name.
    public private(set) var users: [String: UserSecret]

    public init(users: [String: UserSecret] = [:]) {
        self.users = users
    }

    /// The entry of `user`, if any.
    public subscript(user: String) -> UserSecret? { users[user] }

    /// The user names, sorted.
    public var userNames: [String] { users.keys.sorted() }

    /// Whether `approver` may decide requests submitted by `submitter`. Never true for oneself.
    public func canApprove(_ approver: String, submitter: String) -> Bool {
        approver != submitter && (users[approver]?.canApprove.contains(submitter) ?? false)
    }

    /// Whether `user` may see requests of `submitter`: their own, and those they may decide.
    public func maySee(_ submitter: String, user: String) -> Bool {
        submitter == user || canApprove(user, submitter: submitter)
    }

    /// Checks every rule a loaded file must satisfy; `path` names the file in errors.
    public func validate(path: String) throws(SecretsError) {
        for name in userNames {
            guard Self.isValidUserName(name) else {
                throw .malformed(path: path, reason: "invalid user name \"\(name)\"")
            }
            let entry = users[name]!
            if entry.secret.count < Self.minimumSecretLength {
                throw .secretTooShort(path: path, user: name, length: entry.secret.count)
            }
            if entry.secret.hasPrefix(Self.publicExamplePrefix) {
                throw .publicExampleSecret(path: path, user: name)
            }
            if entry.canApprove.contains(name) {
                throw .approvesThemselves(path: path, user: name)
            }
        }
    }

    /// How the secrets of `secrets.example.json` begin. They are published with the source, so
    /// anyone could sign as their users: a file holding one is refused.
    public static let publicExamplePrefix = "EXAMPLE-ONLY-"

    /// User names are short and unambiguous in logs, headers and `APPROVER:SUBMITTER` pairs.
    public static func isValidUserName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x5F || byte == 0x2E
            }
    }

    // MARK: Editing (what ccc-keygen does)

    /// Adds `user` with a fresh random secret.
    public mutating func add(_ user: String) throws(SecretsError) {
        guard Self.isValidUserName(user) else { throw .invalidUserName(user) }
        guard users[user] == nil else { throw .userExists(user) }
        users[user] = UserSecret(secret: SecretGenerator.newSecret())
    }

    /// Removes `user` and every approval right naming it (in `canApprove` lists).
    public mutating func remove(_ user: String) throws(SecretsError) {
        guard users.removeValue(forKey: user) != nil else { throw .unknownUser(user) }
        for name in users.keys {
            users[name]!.canApprove.removeAll { $0 == user }
        }
    }

    /// Replaces the secret of `user` with a fresh random one.
    public mutating func rotate(_ user: String) throws(SecretsError) {
        guard users[user] != nil else { throw .unknownUser(user) }
        users[user]!.secret = SecretGenerator.newSecret()
    }

    /// Lets `approver` decide requests of `submitter`.
    public mutating func allowApproval(approver: String, submitter: String) throws(SecretsError) {
        try checkApproverPair(approver: approver, submitter: submitter)
        if !users[approver]!.canApprove.contains(submitter) {
            users[approver]!.canApprove.append(submitter)
            users[approver]!.canApprove.sort()
        }
    }

    /// Takes back what ``allowApproval(approver:submitter:)`` gave.
    public mutating func disallowApproval(approver: String, submitter: String) throws(SecretsError) {
        guard users[approver] != nil else { throw .unknownUser(approver) }
        users[approver]!.canApprove.removeAll { $0 == submitter }
    }

    /// Only `user`'s entry, with its `canApprove` list: the file that goes into a container.
    public func filtered(to user: String) throws(SecretsError) -> Secrets {
        guard let entry = users[user] else { throw .unknownUser(user) }
        return Secrets(users: [user: entry])
    }

    /// Parses `APPROVER:SUBMITTER`.
    public static func parseApproverPair(_ text: String) throws(SecretsError) -> (approver: String, submitter: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[0] != parts[1] else {
            throw .invalidApproverPair(text)
        }
        return (parts[0], parts[1])
    }

    private func checkApproverPair(approver: String, submitter: String) throws(SecretsError) {
        guard approver != submitter else { throw .invalidApproverPair("\(approver):\(submitter)") }
        guard users[approver] != nil else { throw .unknownUser(approver) }
        guard users[submitter] != nil else { throw .unknownUser(submitter) }
    }

    /// A new file's content: one entry per user, fresh secrets, nobody approving anybody.
    public static func generate(users names: [String]) throws(SecretsError) -> Secrets {
        var secrets = Secrets()
        for name in names { try secrets.add(name) }
        return secrets
    }
}
