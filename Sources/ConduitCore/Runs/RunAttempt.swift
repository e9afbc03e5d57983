import Foundation

/// One attempt of a run: the runner started once (fresh, or resuming the previous session), then
/// the broker committed what changed and ran the checks.
public struct RunAttempt: Sendable, Equatable {
    /// 1 for the first attempt.
    public var number: Int
    public var status: AttemptStatus
    /// The run's branch, `conduit/<run id>` (every attempt of a run works on it).
    public var branch: String
    /// What the runner was told.
    public var prompt: String
    /// The runner's session id, once it said (resumed by the next attempt).
    public var session: String?
    /// Turns the runner reported.
    public var turns: Int?
    /// What the runner reported having spent, in US dollars.
    public var costUSD: Double?
    /// The checks that ran after it, in order.
    public var checks: [CheckResult]
    /// `git diff --stat` of the attempt's commit (empty when nothing changed).
    public var diffStat: String?
    /// Why it failed or was cancelled.
    public var reason: String?
    public var started: Date
    public var finished: Date?

    public init(
        number: Int, status: AttemptStatus, branch: String, prompt: String, session: String? = nil, turns: Int? = nil,
        costUSD: Double? = nil, checks: [CheckResult] = [], diffStat: String? = nil, reason: String? = nil,
        started: Date, finished: Date? = nil
    ) {
        self.number = number
        self.status = status
        self.branch = branch
        self.prompt = prompt
        self.session = session
        self.turns = turns
        self.costUSD = costUSD
        self.checks = checks
        self.diffStat = diffStat
        self.reason = reason
        self.started = started
        self.finished = finished
    }

    /// The attempt as run records carry it.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "number": .integer(Int64(number)), "status": .string(status.rawValue), "branch": .string(branch),
            "prompt": .string(prompt), "checks": .array(checks.map(\.json)),
            "started": .string(ActionRecord.format(started)),
        ]
        if let session { members["session"] = .string(session) }
        if let turns { members["turns"] = .integer(Int64(turns)) }
        if let costUSD { members["cost_usd"] = .number(costUSD) }
        if let diffStat { members["diff_stat"] = .string(diffStat) }
        if let reason { members["reason"] = .string(reason) }
        if let finished { members["finished"] = .string(ActionRecord.format(finished)) }
        return .object(members)
    }

    public init?(json: JSONValue) {
        guard let number = json["number"]?.integerValue,
            let status = json["status"]?.stringValue.flatMap(AttemptStatus.init(rawValue:)),
            let branch = json["branch"]?.stringValue, let prompt = json["prompt"]?.stringValue,
            let started = json["started"]?.stringValue.flatMap(ActionRecord.parse)
        else { return nil }
        let checks = (json["checks"]?.arrayValue ?? []).compactMap(CheckResult.init(json:))
        self.init(
            number: Int(number), status: status, branch: branch, prompt: prompt, session: json["session"]?.stringValue,
            turns: json["turns"]?.integerValue.map { Int($0) }, costUSD: json["cost_usd"]?.doubleValue, checks: checks,
            diffStat: json["diff_stat"]?.stringValue, reason: json["reason"]?.stringValue, started: started,
            finished: json["finished"]?.stringValue.flatMap(ActionRecord.parse))
    }
}

/// What one check said about an attempt.
public struct CheckResult: Sendable, Equatable {
    public var name: String
    /// The program's exit code; -1 when it could not start or was killed at its timeout.
    public var exitCode: Int32
    public var passed: Bool
    /// The tail of its standard output and error, interleaved as written.
    public var output: String

    public init(name: String, exitCode: Int32, passed: Bool, output: String) {
        self.name = name
        self.exitCode = exitCode
        self.passed = passed
        self.output = output
    }

    public var json: JSONValue {
        ["name": .string(name), "exitCode": .integer(Int64(exitCode)), "passed": .bool(passed), "output": .string(output)]
    }

    public init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue, let exitCode = json["exitCode"]?.integerValue,
            case .bool(let passed)? = json["passed"], let output = json["output"]?.stringValue
        else { return nil }
        self.init(name: name, exitCode: Int32(clamping: exitCode), passed: passed, output: output)
    }
}
