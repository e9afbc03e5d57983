import Foundation

/// Something that happened in a run, as `GET /v1/runs/{id}/events` streams it (`event:` is the
/// kind's name, `id:` the event's id). Stored, so a finished run replays everything.
public struct RunEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The run's status changed (`status`, `reason`).
        case runStatus = "run.status"
        /// An attempt began (`attempt`, `prompt`, `resumes`).
        case attemptStarted = "attempt.started"
        /// The agent's text (`text`).
        case message
        /// The runner asked for a tool (`tool`, `input`, `tool_use_id`, and `request` once the broker has one).
        case toolCall = "tool.call"
        /// The broker decided a tool call (`request`, `outcome`, `by`, `reason`).
        case toolDecision = "tool.decision"
        /// A tool's result came back to the agent (`tool_use_id`, `is_error`, `text`: its tail).
        case toolResult = "tool.result"
        /// A check ended (the ``CheckResult``, with `attempt`).
        case checkFinished = "check.finished"
        /// An attempt ended (`attempt`, `status`, `reason`, `turns`, `cost_usd`, `diff_stat`).
        case attemptFinished = "attempt.finished"
        /// The run ended: its final record (`run`).
        case runFinished = "run.finished"
    }

    /// Increasing across all runs, never reused.
    public var id: Int64
    public var run: String
    public var kind: Kind
    public var time: Date
    /// What the kind says (see each kind).
    public var data: JSONValue

    public init(id: Int64, run: String, kind: Kind, time: Date, data: JSONValue) {
        self.id = id
        self.run = run
        self.kind = kind
        self.time = time
        self.data = data
    }

    /// The event's `data:` payload.
    public var json: JSONValue {
        ["id": .integer(id), "run": .string(run), "type": .string(kind.rawValue), "at": .string(ActionRecord.format(time)), "data": data]
    }

    public init?(json: JSONValue) {
        guard let id = json["id"]?.integerValue, let run = json["run"]?.stringValue,
            let kind = json["type"]?.stringValue.flatMap(Kind.init(rawValue:)),
            let time = json["at"]?.stringValue.flatMap(ActionRecord.parse), let data = json["data"]
        else { return nil }
        self.init(id: id, run: run, kind: kind, time: time, data: data)
    }
}

extension RunEvent: JSONShaped {
    public static let shapeDescription = "a run event (id, run, type, at and data are required)"
}
