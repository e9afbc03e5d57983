import ConduitCore
import Foundation

/// A remembered approval as the grants view shows it (`GET /v1/grants`).
public struct GrantItem: Sendable, Equatable {
    public var id: String
    public var approver: String
    public var submitter: String
    public var action: String
    /// The parameters it covers, as `name=value` pairs.
    public var parameters: String
    public var expires: Date

    public init(id: String, approver: String, submitter: String, action: String, parameters: String, expires: Date) {
        self.id = id
        self.approver = approver
        self.submitter = submitter
        self.action = action
        self.parameters = parameters
        self.expires = expires
    }

    /// Reads one grant of `GET /v1/grants`; nil if it is not one.
    public init?(grant json: JSONValue) {
        guard let id = json["id"]?.stringValue, let approver = json["approver"]?.stringValue,
            let submitter = json["submitter"]?.stringValue, let action = json["action"]?.stringValue,
            let expires = json["expires"]?.stringValue.flatMap(ActionRecord.parse)
        else { return nil }
        var pairs: [String] = []
        if case .object(let params)? = json["params"] {
            for (name, value) in params.sorted(by: { $0.key < $1.key }) {
                pairs.append("\(name)=\(value.stringValue ?? value.compactText)")
            }
        }
        self.init(
            id: id, approver: approver, submitter: submitter, action: action, parameters: pairs.joined(separator: " "),
            expires: expires)
    }

    /// The first eight characters of the id.
    public var shortID: String { String(id.prefix(8)) }
}
