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
    /// Parameters by name, as text (strings unquoted, other values as JSON), in reading order:
    /// members of object parameters one level deep (`input.command`), decisive fields first
    /// (see ``RequestField``).
    public var params: [(name: String, value: String)]

    /// ``params`` as fields.
    public var fields: [RequestField] { params.map { RequestField(name: $0.name, value: $0.value) } }

    /// One line saying what the request does: `Bash: rm -r keys (in /workspace/p)` for a tool
    /// call, else its most decisive value.
    public var summary: String {
        let fields = self.fields
        let cwd = fields.first { $0.key == "cwd" }
        let rest = fields.filter { $0.key != "cwd" && $0.key != "session" }
        var text: String
        if let tool = rest.first(where: { $0.name == "tool" }) {
            let detail = rest.first { $0.name != "tool" }
            text = TerminalText.sanitized(tool.value) + (detail.map { ": " + $0.displayValue } ?? "")
        } else {
            text = rest.first?.displayValue ?? ""
        }
        if let cwd { text += " (in " + TerminalText.sanitized(cwd.value) + ")" }
        return text
    }

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

    /// The request `record` shows.
    public init(record: ActionRecord) {
        let params = RequestField.fields(of: .object(record.params)).map { (name: $0.name, value: $0.value) }
        self.init(
            id: record.id, action: record.action, description: record.description, submitter: record.submitter,
            created: record.created, expires: record.expires, params: params)
    }

    /// Reads a record as the broker serialises it (``ActionRecord/init(json:)``); nil if it is not one.
    public init?(record: JSONValue) {
        guard let record = ActionRecord(json: record) else { return nil }
        self.init(record: record)
    }

    /// The first 8 characters of the id.
    public var shortID: String { String(id.prefix(8)) }

    public static func == (lhs: QueueItem, rhs: QueueItem) -> Bool {
        lhs.id == rhs.id && lhs.action == rhs.action && lhs.description == rhs.description
            && lhs.submitter == rhs.submitter && lhs.created == rhs.created && lhs.expires == rhs.expires
            && lhs.params.map(\.name) == rhs.params.map(\.name) && lhs.params.map(\.value) == rhs.params.map(\.value)
    }
}
