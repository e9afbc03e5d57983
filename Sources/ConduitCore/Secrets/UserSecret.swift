/// One user's entry in the secrets file: the HMAC key and whose requests this user may decide.
public struct UserSecret: Codable, Sendable, Equatable {
    /// The shared secret; the HMAC-SHA256 key is its UTF-8 bytes.
    public var secret: String
    /// The users whose queued requests this user may approve or deny.
    public var canApprove: [String]

    public init(secret: String, canApprove: [String] = []) {
        self.secret = secret
        self.canApprove = canApprove
    }

    /// The HMAC key: the UTF-8 bytes of ``secret``.
    public var keyBytes: [UInt8] { Array(secret.utf8) }
}
