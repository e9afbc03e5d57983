import ConduitCore
import Foundation

/// One pending request as the queue manager shows it.
public struct QueueItem: Sendable, Equatable {
    public var id: String
    public var action: String
    public var description: String
    public var submitter: String
    public var created: Date
    public var expires: Date?
    /// Parameters by name, as text (strings unquoted, other values as JSON).
    public var params: [(name: String, value: String)]

    public init(
        id: String, action: String, description: String = "", submitter: String, created: Date, expires: Date? = nil,
        params: [(name: String, value: String)] = []
    ) {
        self.id = id
        self.action = action
        self.description = description
        self.submitter = submitter
        self.created = created
        self.expires = expires
        self.params = params
    }

    /// Reads a record as the broker serialises it; nil if it lacks an id, action, submitter or date.
    public init?(record: JSONValue) {
        guard let id = record["id"]?.stringValue, let action = record["action"]?.stringValue,
            let submitter = record["submitter"]?.stringValue,
            let created = record["created"]?.stringValue.flatMap(Self.parseDate)
        else { return nil }
        var params: [(name: String, value: String)] = []
        if case .object(let members)? = record["params"] {
            for name in members.keys.sorted() {
                let value = members[name]!
                params.append((name, value.plainText))
            }
        }
        self.init(
            id: id, action: action, description: record["description"]?.stringValue ?? "", submitter: submitter,
            created: created, expires: record["expires"]?.stringValue.flatMap(Self.parseDate), params: params)
    }

    /// The first 8 characters of the id.
    public var shortID: String { String(id.prefix(8)) }

    static func parseDate(_ text: String) -> Date? {
        (try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: .iso8601))
    }

    public static func == (lhs: QueueItem, rhs: QueueItem) -> Bool {
        lhs.id == rhs.id && lhs.action == rhs.action && lhs.description == rhs.description
            && lhs.submitter == rhs.submitter && lhs.created == rhs.created && lhs.expires == rhs.expires
            && lhs.params.map(\.name) == rhs.params.map(\.name) && lhs.params.map(\.value) == rhs.params.map(\.value)
    }
}
