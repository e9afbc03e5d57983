import ConduitCore
import Foundation

/// One past decision (or expiry, or cancellation) as the history view shows it.
public struct HistoryItem: Sendable, Equatable {
    public var at: Date
    public var action: String
    public var submitter: String
    /// `completed`, `denied`, `expired`…
    public var outcome: String
    /// Who or what decided.
    public var decidedBy: String
    public var reason: String

    public init(at: Date, action: String, submitter: String, outcome: String, decidedBy: String, reason: String = "") {
        self.at = at
        self.action = action
        self.submitter = submitter
        self.outcome = outcome
        self.decidedBy = decidedBy
        self.reason = reason
    }

    /// Reads an entry of `GET /v1/audit`; nil for events the history does not show (it shows
    /// ``AuditEvent/decisions``).
    public init?(auditEntry entry: JSONValue) {
        guard let event = entry["event"]?.stringValue.flatMap(AuditEvent.init(rawValue:)), AuditEvent.decisions.contains(event),
            let at = entry["at"]?.stringValue.flatMap(ActionRecord.parse)
        else { return nil }
        self.init(
            at: at, action: entry["action"]?.stringValue ?? "", submitter: entry["user"]?.stringValue ?? "",
            outcome: Self.decisionWord(entry["outcome"]?.stringValue ?? ""),
            decidedBy: entry["actor"]?.stringValue ?? (event == .expired ? "nobody (expired)" : ""),
            reason: entry["detail"]?["reason"]?.stringValue ?? "")
    }

    /// What a decision was: the status right after an approval (`running`, or `completed` /
    /// `failed` when the command ended at once) says "approved"; what the command did later is not
    /// the decision.
    static func decisionWord(_ status: String) -> String {
        switch ActionStatus(rawValue: status) {
        case .running, .completed, .failed: "approved"
        default: status
        }
    }
}
