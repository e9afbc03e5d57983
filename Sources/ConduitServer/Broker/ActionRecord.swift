import ConduitCore
import Foundation

/// Everything known about one accepted request.
public struct ActionRecord: Sendable, Equatable {
    public var id: String
    public var action: String
    public var submitter: String
    /// Parameters as validated (container paths, never host paths).
    public var params: [String: JSONValue]
    public var status: ActionStatus
    public var created: Date
    /// What decided, e.g. `policy auto-accept of edit-file`.
    public var decidedBy: String?
    public var decided: Date?
    /// Why it was denied.
    public var reason: String?
    /// The handler's `{exitCode, stdout, stderr}`, or a built-in action's answer.
    public var result: JSONValue?
    public var finished: Date?

    public init(
        id: String, action: String, submitter: String, params: [String: JSONValue], status: ActionStatus, created: Date,
        decidedBy: String? = nil, decided: Date? = nil, reason: String? = nil, result: JSONValue? = nil,
        finished: Date? = nil
    ) {
        self.id = id
        self.action = action
        self.submitter = submitter
        self.params = params
        self.status = status
        self.created = created
        self.decidedBy = decidedBy
        self.decided = decided
        self.reason = reason
        self.result = result
        self.finished = finished
    }

    /// The full record, as `GET /v1/actions/{id}` returns it.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "action": .string(action), "submitter": .string(submitter),
            "params": .object(params), "status": .string(status.rawValue), "created": .string(Self.format(created)),
        ]
        if let decidedBy, let decided {
            members["decision"] = ["by": .string(decidedBy), "at": .string(Self.format(decided))]
        }
        if let reason { members["reason"] = .string(reason) }
        if let result { members["result"] = result }
        if let finished { members["finished"] = .string(Self.format(finished)) }
        return .object(members)
    }

    /// The short answer to `POST /v1/actions`.
    public var submissionJSON: JSONValue {
        var members: [String: JSONValue] = ["id": .string(id), "action": .string(action), "status": .string(status.rawValue)]
        switch status {
        case .completed, .failed: members["result"] = result ?? [:]
        case .denied: members["reason"] = .string(reason ?? "denied")
        case .pending, .running: break
        }
        return .object(members)
    }

    static func format(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }
}
