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

    /// The `status` of a record in the body (`POST /v1/actions`, `GET /v1/actions/{id}`), when
    /// the body is one.
    public var recordStatus: ActionStatus? {
        json?["status"]?.stringValue.flatMap(ActionStatus.init(rawValue:))
    }

    /// The `error.message` of an error body.
    public var errorMessage: String? {
        json?["error"]?["message"]?.stringValue
    }
}
