import Foundation

/// "Approve and remember": later requests identical to an approved one are accepted until ``expires``.
///
/// Identical means the same submitter, action and parameters, compared after validation (paths
/// normalised, so `hello.txt` and `/workspace/hello.txt` are the same). A grant stops applying as soon
/// as its approver loses the right to decide for the submitter, and when revoked.
public struct Grant: Sendable, Equatable {
    public var id: String
    /// Who approved and chose to remember.
    public var approver: String
    public var submitter: String
    public var action: String
    public var params: [String: JSONValue]
    public var created: Date
    public var expires: Date
    /// The request whose approval made the grant.
    public var sourceRequest: String
    public var revoked: Date?
    public var revokedBy: String?

    public init(
        id: String, approver: String, submitter: String, action: String, params: [String: JSONValue], created: Date,
        expires: Date, sourceRequest: String, revoked: Date? = nil, revokedBy: String? = nil
    ) {
        self.id = id
        self.approver = approver
        self.submitter = submitter
        self.action = action
        self.params = params
        self.created = created
        self.expires = expires
        self.sourceRequest = sourceRequest
        self.revoked = revoked
        self.revokedBy = revokedBy
    }

    /// The parameters in canonical form (compact JSON, sorted keys): what "identical" compares.
    public static func key(for params: [String: JSONValue]) -> String {
        JSONValue.object(params).compactText
    }

    /// Whether it still accepts requests at `now` (not revoked, not expired).
    public func isActive(at now: Date) -> Bool { revoked == nil && now < expires }

    /// As `GET /v1/grants` lists it.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "approver": .string(approver), "submitter": .string(submitter),
            "action": .string(action), "params": .object(params), "created": .string(ActionRecord.format(created)),
            "expires": .string(ActionRecord.format(expires)), "request": .string(sourceRequest),
        ]
        if let revoked { members["revoked"] = .string(ActionRecord.format(revoked)) }
        if let revokedBy { members["revoked_by"] = .string(revokedBy) }
        return .object(members)
    }
}
