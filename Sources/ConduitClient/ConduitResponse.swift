import ConduitCore

/// An answer from the broker whose signature verified (or an unsigned 401/413 refusal).
public struct ConduitResponse: Sendable, Equatable {
    /// The HTTP status.
    public var status: Int
    /// The exact body bytes.
    public var body: [UInt8]
    /// Whether the response signature verified against this request's nonce.
    public var verified: Bool

    public init(status: Int, body: [UInt8], verified: Bool) {
        self.status = status
        self.body = body
        self.verified = verified
    }

    /// The body as JSON, when it is JSON.
    public var json: JSONValue? { try? JSONValue.parse(body) }

    /// The `error.message` of an error body.
    public var errorMessage: String? {
        json?["error"]?["message"]?.stringValue
    }
}
