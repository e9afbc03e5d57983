import Foundation

/// Everything known about one accepted request.
public struct ActionRecord: Sendable, Equatable {
    public var id: String
    public var action: String
    /// The action's description when the request arrived (shown to approvers).
    public var description: String
    public var submitter: String
    /// Parameters as validated (normalised container paths, never host paths).
    public var params: [String: JSONValue]
    public var status: ActionStatus
    public var created: Date
    /// When a pending request expires; `nil` for requests that were never queued.
    public var expires: Date?
    /// Who or what decided, when.
    public var decision: ActionDecision?
    /// Why it ended as it did: the person's or rule's denial, the expiry, the cancellation, the failure.
    public var reason: String?
    /// The handler's `{exitCode, stdout, stderr}`, or a built-in action's answer.
    public var result: JSONValue?
    /// When the broker let its command start (recorded before the command could run, so a request
    /// without it never ran); `nil` for decision-only actions and commands that never started.
    public var started: Date?
    public var finished: Date?
    /// The supervised run whose agent made the request (with the attempt's credential), if any.
    public var run: String?

    /// The ``ActionDefinition/fingerprint`` of the action the request was submitted under (not
    /// part of the wire format).
    public var actionFingerprint: String?

    public init(
        id: String, action: String, description: String = "", submitter: String, params: [String: JSONValue],
        status: ActionStatus, created: Date, expires: Date? = nil, decision: ActionDecision? = nil,
        reason: String? = nil, result: JSONValue? = nil, started: Date? = nil, finished: Date? = nil,
        actionFingerprint: String? = nil, run: String? = nil
    ) {
        self.run = run
        self.actionFingerprint = actionFingerprint
        self.id = id
        self.action = action
        self.description = description
        self.submitter = submitter
        self.params = params
        self.status = status
        self.created = created
        self.expires = expires
        self.decision = decision
        self.reason = reason
        self.result = result
        self.started = started
        self.finished = finished
    }

    /// Words naming the decider, e.g. `policy auto-accept of edit-file`.
    public var decidedBy: String? { decision?.by }

    /// The full record, as `GET /v1/actions/{id}` returns it.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "action": .string(action), "submitter": .string(submitter),
            "params": .object(params), "status": .string(status.rawValue), "created": .string(Self.format(created)),
        ]
        if !description.isEmpty { members["description"] = .string(description) }
        if let expires { members["expires"] = .string(Self.format(expires)) }
        if let decision = decisionJSON { members["decision"] = decision }
        if let reason { members["reason"] = .string(reason) }
        if let result { members["result"] = result }
        if let started { members["started"] = .string(Self.format(started)) }
        if let finished { members["finished"] = .string(Self.format(finished)) }
        if let run { members["run"] = .string(run) }
        return .object(members)
    }

    /// `{kind, by, outcome, at, approver?, grant?}`, once decided.
    var decisionJSON: JSONValue? {
        guard let decision else { return nil }
        var fields: [String: JSONValue] = [
            "by": .string(decision.by), "kind": .string(decision.kind.rawValue),
            "outcome": .string(status == .denied ? "denied" : "approved"), "at": .string(Self.format(decision.at)),
        ]
        if let approver = decision.approver { fields["approver"] = .string(approver) }
        if let grant = decision.grantID { fields["grant"] = .string(grant) }
        return .object(fields)
    }

    /// The short answer to `POST /v1/actions`: with the `decision` when it was decided at once.
    public var submissionJSON: JSONValue {
        var members: [String: JSONValue] = ["id": .string(id), "action": .string(action), "status": .string(status.rawValue)]
        if status != .pending, let decision = decisionJSON { members["decision"] = decision }
        switch status {
        case .completed: members["result"] = result ?? [:]
        case .failed:
            members["result"] = result ?? [:]
            if let reason { members["reason"] = .string(reason) }
        case .denied, .expired, .canceled: members["reason"] = .string(reason ?? status.rawValue)
        case .pending: if let expires { members["expires"] = .string(Self.format(expires)) }
        case .running: break
        }
        return .object(members)
    }

    /// Reads a record back from ``json`` (stored events keep that form); nil if it is not one.
    public init?(json: JSONValue) {
        guard let id = json["id"]?.stringValue, let action = json["action"]?.stringValue,
            let submitter = json["submitter"]?.stringValue,
            let status = json["status"]?.stringValue.flatMap(ActionStatus.init(rawValue:)),
            let created = json["created"]?.stringValue.flatMap(Self.parse), case .object(let params)? = json["params"]
        else { return nil }
        var decision: ActionDecision?
        if let fields = json["decision"], let kind = fields["kind"]?.stringValue.flatMap(ActionDecision.Kind.init(rawValue:)),
            let by = fields["by"]?.stringValue, let at = fields["at"]?.stringValue.flatMap(Self.parse)
        {
            decision = ActionDecision(
                kind: kind, by: by, approver: fields["approver"]?.stringValue, grantID: fields["grant"]?.stringValue, at: at)
        }
        self.init(
            id: id, action: action, description: json["description"]?.stringValue ?? "", submitter: submitter,
            params: params, status: status, created: created, expires: json["expires"]?.stringValue.flatMap(Self.parse),
            decision: decision, reason: json["reason"]?.stringValue, result: json["result"],
            started: json["started"]?.stringValue.flatMap(Self.parse),
            finished: json["finished"]?.stringValue.flatMap(Self.parse), run: json["run"]?.stringValue)
    }

    /// Reads a date of the wire format (``format(_:)``; whole seconds accepted too). The one parser
    /// for the broker's dates: server, client, TUI and agent adapters all read them here.
    public static func parse(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle()))
    }

    /// ISO 8601 with milliseconds, UTC.
    public static func format(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }
}

extension ActionRecord: JSONShaped {
    public static let shapeDescription = "an action record (id, action, submitter, params, status and created are required)"
}
