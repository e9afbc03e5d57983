/// What a run of a coding agent may do, read from `runs/NAME.yaml` (see ``RunPolicyParser``):
/// which runner, whether a run may start without a person, its limits, and the checks that decide
/// whether an attempt succeeded.
public struct RunPolicy: Sendable, Equatable {
    /// The file's name without `.yaml`; what `POST /v1/runs` names in `policy`.
    public var name: String
    /// One line shown to approvers and in listings.
    public var description: String
    /// The runner's name (``AgentRunnerKind``); `claude` is the one shipped.
    public var runner: AgentRunnerKind
    /// Passed to the runner as its model (`--model`), when set.
    public var model: String?
    /// Whether a run may start: at once, never, or once a person approves it.
    public var policy: ActionPolicy
    /// The runner's turn limit for one attempt (`--max-turns`), when set.
    public var maxTurns: Int?
    /// The runner's spending limit for one attempt, in US dollars, when set.
    public var maxBudgetUSD: Double?
    /// Seconds one attempt may take; then it is stopped and fails.
    public var timeout: Int
    /// Run in the worktree, in order, after an attempt whose runner finished without error.
    public var checks: [RunCheck]
    /// How many attempts a run may make (a check with `on_fail: retry` starts the next one).
    public var maxAttempts: Int

    public init(
        name: String, description: String, runner: AgentRunnerKind = .claude, model: String? = nil,
        policy: ActionPolicy, maxTurns: Int? = nil, maxBudgetUSD: Double? = nil,
        timeout: Int = RunPolicy.defaultTimeout, checks: [RunCheck] = [], maxAttempts: Int = 1
    ) {
        self.name = name
        self.description = description
        self.runner = runner
        self.model = model
        self.policy = policy
        self.maxTurns = maxTurns
        self.maxBudgetUSD = maxBudgetUSD
        self.timeout = timeout
        self.checks = checks
        self.maxAttempts = maxAttempts
    }

    /// Seconds per attempt when the file sets no `timeout` (30 minutes).
    public static let defaultTimeout = 1800
    /// The longest `timeout` a file may set (one day).
    public static let longestTimeout = 86_400
    /// The most attempts a file may allow.
    public static let mostAttempts = 20
}

/// A program run in the worktree after an attempt: argv, never a shell.
public struct RunCheck: Sendable, Equatable {
    /// What a failing check does to the run.
    public enum OnFail: String, Sendable, Equatable, CaseIterable {
        /// Start a new attempt (resuming the runner's session, told what failed), if attempts are left.
        case retry
        /// End the run `failed`.
        case fail
    }

    /// Names the check in events, records and the retry prompt.
    public var name: String
    /// The program and its arguments; the first is looked up on the broker's `PATH`.
    public var run: [String]
    /// Seconds the check may take; then it is killed and counts as failed.
    public var timeout: Int
    public var onFail: OnFail

    public init(name: String, run: [String], timeout: Int = RunCheck.defaultTimeout, onFail: OnFail = .fail) {
        self.name = name
        self.run = run
        self.timeout = timeout
        self.onFail = onFail
    }

    /// Seconds a check may take when it says nothing (10 minutes).
    public static let defaultTimeout = 600
}

/// The coding agents the broker can run. Each has one ``AgentRunner`` implementation.
public enum AgentRunnerKind: String, Sendable, Equatable, CaseIterable {
    /// Claude Code (`claude -p … --output-format stream-json`).
    case claude
}
