import ConduitClient
import ConduitCore

/// What became of an action request, read from the broker's (verified) answer: the submission's
/// when it was decided at once, else the record after waiting.
public enum ActionOutcome: Sendable, Equatable {
    /// It ran (or, decision-only, was accepted): the final record.
    case completed(record: JSONValue)
    /// A person, rule or policy said no. `approver` is the person, when a person denied it;
    /// `reason` is their words verbatim (or the rule's explanation).
    case denied(reason: String, approver: String?)
    /// It was accepted but did not succeed (non-zero exit, timeout, a path that no longer maps…).
    case failed(reason: String, record: JSONValue)
    /// No one decided before it expired.
    case expired(reason: String)
    /// Its submitter withdrew it.
    case canceled(reason: String)
    /// Still waiting for a person when the client stopped waiting.
    case stillPending(id: String)
    /// The broker refused the request itself (400 invalid, 404 unknown action, 413 too large…).
    case refused(status: Int, message: String)

    /// Reads a verified answer of `POST /v1/actions` or `GET /v1/actions/{id}`.
    public init(response: ConduitResponse) {
        let json = response.json ?? .null
        let reason = json["reason"]?.stringValue
        switch (response.status, response.recordStatus) {
        case (200, .completed):
            self = .completed(record: json)
        case (200, .failed):
            self = .failed(reason: reason ?? "the action failed", record: json)
        case (200, .denied), (403, .denied):
            self = .denied(reason: reason ?? "denied", approver: json["decision"]?["approver"]?.stringValue)
        case (200, .expired):
            self = .expired(reason: reason ?? "no one decided before the request expired")
        case (200, .canceled):
            self = .canceled(reason: reason ?? "the request was canceled")
        case (200, .pending), (200, .running), (202, _):
            self = .stillPending(id: json["id"]?.stringValue ?? "")
        default:
            self = .refused(status: response.status, message: response.errorMessage ?? "the broker answered \(response.status)")
        }
    }

    /// Whether the action was allowed and did what it was asked.
    public var succeeded: Bool {
        if case .completed = self { return true }
        return false
    }

    /// One or more lines for a person or a model: what happened and why, with a command's output.
    public var summary: String {
        switch self {
        case .completed(let record):
            var lines = ["Completed \(Self.describe(record))."]
            lines += Self.output(of: record)
            return lines.joined(separator: "\n")
        case .denied(let reason, _):
            return Self.sentence(reason, outcome: "denied")
        case .failed(let reason, let record):
            return ([Self.sentence(reason, outcome: "failed")] + Self.output(of: record)).joined(separator: "\n")
        case .expired(let reason):
            return Self.sentence(reason, outcome: "expired")
        case .canceled(let reason):
            return Self.sentence(reason, outcome: "canceled")
        case .stillPending(let id):
            return "No decision yet: request \(id) is still waiting for a person; it was withdrawn."
        case .refused(let status, let message):
            return "Refused by the broker (\(status)): \(message)"
        }
    }

    /// The broker's reason as a sentence: `denied by alice: not now` → `Denied by alice: not now`;
    /// a reason that does not name the outcome is prefixed with it (`Failed: not run: …`).
    static func sentence(_ reason: String, outcome: String) -> String {
        if reason.lowercased().hasPrefix(outcome) { return reason.prefix(1).uppercased() + reason.dropFirst() }
        return outcome.prefix(1).uppercased() + outcome.dropFirst() + ": " + reason
    }

    /// `edit-file (request 3f2a…, approved by alice: "ok")`.
    private static func describe(_ record: JSONValue) -> String {
        let action = record["action"]?.stringValue ?? "the action"
        var details: [String] = []
        if let id = record["id"]?.stringValue { details.append("request \(id)") }
        if let decision = record["decision"] {
            if let approver = decision["approver"]?.stringValue {
                let words = record["reason"]?.stringValue.map { ": \($0)" } ?? ""
                details.append("approved by \(approver)\(words)")
            } else if let by = decision["by"]?.stringValue {
                details.append("accepted by \(by)")
            }
        }
        return details.isEmpty ? action : "\(action) (\(details.joined(separator: ", ")))"
    }

    /// The command's exit code and non-empty output streams, as lines.
    private static func output(of record: JSONValue) -> [String] {
        guard let result = record["result"] else { return [] }
        var lines: [String] = []
        if let code = result["exitCode"]?.integerValue, code != 0 { lines.append("exit code \(code)") }
        for stream in ["stdout", "stderr"] {
            if let text = result[stream]?.stringValue, !text.isEmpty { lines.append("\(stream):\n\(text)") }
        }
        return lines
    }
}
