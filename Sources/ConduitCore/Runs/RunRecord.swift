import Foundation

/// Everything known about one run of a coding agent, as `GET /v1/runs/{id}` returns it.
public struct RunRecord: Sendable, Equatable {
    public var id: String
    /// The runs started by one `POST /v1/runs` share it (`fanout` > 1 starts several).
    public var group: String
    /// The run policy's name.
    public var policy: String
    /// The project's name (never its path).
    public var project: String
    /// The first prompt, as the submitter wrote it.
    public var prompt: String
    /// Who asked for the run; its tool calls are submitted as theirs, so the same people decide them.
    public var submitter: String
    public var status: RunStatus
    public var created: Date
    /// When its first attempt started.
    public var started: Date?
    public var finished: Date?
    /// Why it ended as it did (the denial, the failed check, `interrupted`, the cancellation).
    public var reason: String?
    /// The runner's final text of the last attempt.
    public var result: String?
    /// The approval request holding its start (run policy `queue`).
    public var request: String?
    /// A follow-up prompt waiting for the next attempt (`POST /v1/runs/{id}/messages`).
    public var followUp: String?
    public var attempts: [RunAttempt]

    public init(
        id: String, group: String, policy: String, project: String, prompt: String, submitter: String,
        status: RunStatus, created: Date, started: Date? = nil, finished: Date? = nil, reason: String? = nil,
        result: String? = nil, request: String? = nil, followUp: String? = nil, attempts: [RunAttempt] = []
    ) {
        self.followUp = followUp
        self.id = id
        self.group = group
        self.policy = policy
        self.project = project
        self.prompt = prompt
        self.submitter = submitter
        self.status = status
        self.created = created
        self.started = started
        self.finished = finished
        self.reason = reason
        self.result = result
        self.request = request
        self.attempts = attempts
    }

    /// The branch every attempt of the run commits to.
    public static func branch(forRun id: String) -> String { "conduit/\(id)" }

    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "group": .string(group), "policy": .string(policy), "project": .string(project),
            "prompt": .string(prompt), "submitter": .string(submitter), "status": .string(status.rawValue),
            "created": .string(ActionRecord.format(created)), "attempts": .array(attempts.map(\.json)),
            "branch": .string(Self.branch(forRun: id)),
        ]
        if let started { members["started"] = .string(ActionRecord.format(started)) }
        if let finished { members["finished"] = .string(ActionRecord.format(finished)) }
        if let reason { members["reason"] = .string(reason) }
        if let result { members["result"] = .string(result) }
        if let request { members["request"] = .string(request) }
        if let followUp { members["follow_up"] = .string(followUp) }
        return .object(members)
    }

    public init?(json: JSONValue) {
        guard let id = json["id"]?.stringValue, let group = json["group"]?.stringValue,
            let policy = json["policy"]?.stringValue, let project = json["project"]?.stringValue,
            let prompt = json["prompt"]?.stringValue, let submitter = json["submitter"]?.stringValue,
            let status = json["status"]?.stringValue.flatMap(RunStatus.init(rawValue:)),
            let created = json["created"]?.stringValue.flatMap(ActionRecord.parse)
        else { return nil }
        self.init(
            id: id, group: group, policy: policy, project: project, prompt: prompt, submitter: submitter, status: status,
            created: created, started: json["started"]?.stringValue.flatMap(ActionRecord.parse),
            finished: json["finished"]?.stringValue.flatMap(ActionRecord.parse), reason: json["reason"]?.stringValue,
            result: json["result"]?.stringValue, request: json["request"]?.stringValue,
            followUp: json["follow_up"]?.stringValue, attempts: (json["attempts"]?.arrayValue ?? []).compactMap(RunAttempt.init(json:)))
    }
}

extension RunRecord: JSONShaped {
    public static let shapeDescription = "a run record (id, group, policy, project, prompt, submitter, status, created)"
}
