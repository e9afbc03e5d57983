import Foundation

/// One line of the append-only audit log: who asked for or decided what, when, with what outcome.
/// Never a secret or a signature.
public struct AuditEntry: Sendable, Equatable {
    /// Increasing; the chain's order.
    public var id: Int64
    /// Milliseconds since 1970 (integral, so the hash reads back exactly).
    public var timeMilliseconds: Int64
    /// What happened: an ``AuditEvent``'s raw value.
    public var event: String
    /// The submitter — for a refused request, the user its keyid claims (whether or not it exists).
    public var user: String?
    /// Who or what decided (`policy …`, `rule …`, a person, `grant … from …`).
    public var actor: String?
    public var action: String?
    public var requestID: String?
    /// The status after the event (`pending`, `completed`, `denied`…), or the refusal's code.
    public var outcome: String
    /// Parameters, reason, peer address, exit code, duration: whatever the event has.
    public var detail: JSONValue
    public var previousHash: String
    public var hash: String

    public init(
        id: Int64 = 0, timeMilliseconds: Int64, event: String, user: String? = nil, actor: String? = nil,
        action: String? = nil, requestID: String? = nil, outcome: String, detail: JSONValue = [:],
        previousHash: String = "", hash: String = ""
    ) {
        self.id = id
        self.timeMilliseconds = timeMilliseconds
        self.event = event
        self.user = user
        self.actor = actor
        self.action = action
        self.requestID = requestID
        self.outcome = outcome
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
    }

    /// What the hash covers: everything but the id and the hashes.
    public var content: JSONValue {
        var members: [String: JSONValue] = [
            "time": .integer(timeMilliseconds), "event": .string(event), "outcome": .string(outcome), "detail": detail,
        ]
        if let user { members["user"] = .string(user) }
        if let actor { members["actor"] = .string(actor) }
        if let action { members["action"] = .string(action) }
        if let requestID { members["request"] = .string(requestID) }
        return .object(members)
    }

    /// As exported and served: the content plus id, ISO time and hashes.
    public var json: JSONValue {
        guard case .object(var members) = content else { return content }
        members["id"] = .integer(id)
        members["at"] = .string(ActionRecord.format(Date(timeIntervalSince1970: Double(timeMilliseconds) / 1000)))
        members["previous_hash"] = .string(previousHash)
        members["hash"] = .string(hash)
        return .object(members)
    }

    /// The entry an event about `record` leaves in the log.
    public static func about(_ event: BrokerEvent.Kind, record: ActionRecord, at time: Date) -> AuditEntry {
        var detail: [String: JSONValue] = ["params": .object(record.params)]
        if let reason = record.reason { detail["reason"] = .string(reason) }
        if let decision = record.decision {
            detail["decided_by"] = .string(decision.kind.rawValue)
            if let grant = decision.grantID { detail["grant"] = .string(grant) }
        }
        if event == .finished {
            if let exitCode = record.result?["exitCode"] { detail["exit_code"] = exitCode }
            if let started = record.decision?.at, let finished = record.finished {
                detail["duration_ms"] = .integer(Int64((finished.timeIntervalSince(started) * 1000).rounded()))
            }
        }
        let name: AuditEvent =
            switch event {
            case .queued: .requestQueued
            case .decided: record.decision?.kind == .person || record.decision?.kind == .grant ? .decision : .requestDecided
            case .started: .executionStarted
            case .finished: .executionFinished
            case .expired: .expired
            case .canceled: .canceled
            }
        return AuditEntry(
            timeMilliseconds: Int64((time.timeIntervalSince1970 * 1000).rounded(.down)), event: name.rawValue,
            user: record.submitter, actor: event == .decided ? record.decision?.by : (event == .canceled ? record.submitter : nil),
            action: record.action, requestID: record.id, outcome: record.status.rawValue, detail: .object(detail))
    }
}

/// The first problem `audit verify` found.
public struct AuditChainBreak: Error, Sendable, Equatable, CustomStringConvertible {
    /// The first row that does not verify.
    public var id: Int64
    public var reason: String

    public init(id: Int64, reason: String) {
        self.id = id
        self.reason = reason
    }

    public var description: String { "audit_log row \(id): \(reason)" }
}
