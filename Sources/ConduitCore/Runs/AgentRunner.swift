/// A coding agent the broker can start headless. Each runner is one type: how it is started, what
/// of the broker's environment it needs, and how its output reads as ``RunnerOutput``. Claude Code
/// is ``ClaudeRunner``; Codex's `exec --json` or Gemini CLI's `stream-json` would each be one more.
public protocol AgentRunner: Sendable {
    /// Which runner this is (what run policies name in `runner`).
    var kind: AgentRunnerKind { get }

    /// The arguments after the program for one attempt. The prompt is not among them: it goes to
    /// the runner's standard input, so no prompt can ever be read as an option.
    func arguments(for invocation: RunnerInvocation) -> [String]

    /// Whether the broker's environment variable `name` reaches the runner (besides `PATH`,
    /// `HOME`, `LANG` and the hook's own variables, which always do).
    func passesEnvironment(_ name: String) -> Bool

    /// What one line of the runner's standard output says (nothing, for lines it does not know).
    func parse(line: String) -> [RunnerOutput]
}

/// What one attempt asks of a runner.
public struct RunnerInvocation: Sendable, Equatable {
    public var model: String?
    public var maxTurns: Int?
    public var maxBudgetUSD: Double?
    /// The session to resume (a retry or a follow-up message), if any.
    public var resume: String?
    /// The settings file wiring the broker's PreToolUse hook.
    public var settingsFile: String
    /// The MCP configuration naming the broker's MCP server (`ccc-client mcp`).
    public var mcpConfigFile: String

    public init(
        model: String? = nil, maxTurns: Int? = nil, maxBudgetUSD: Double? = nil, resume: String? = nil,
        settingsFile: String, mcpConfigFile: String
    ) {
        self.model = model
        self.maxTurns = maxTurns
        self.maxBudgetUSD = maxBudgetUSD
        self.resume = resume
        self.settingsFile = settingsFile
        self.mcpConfigFile = mcpConfigFile
    }
}

/// One thing a runner reported.
public enum RunnerOutput: Sendable, Equatable {
    /// Its session id (resumable).
    case session(String)
    /// Text the agent wrote.
    case message(String)
    /// The agent asked for a tool.
    case toolCall(id: String, tool: String, input: JSONValue)
    /// The runner refused a tool call itself, before any hook (its own permission rules).
    case refusedByRunner(id: String, tool: String, message: String)
    /// A tool's result went back to the agent.
    case toolResult(id: String, isError: Bool, text: String)
    /// The attempt's last word.
    case finished(RunnerResult)
}

/// How the runner says an attempt ended.
public struct RunnerResult: Sendable, Equatable {
    /// Whether the runner counts it as a failure (an error, a turn or budget limit).
    public var isError: Bool
    /// The runner's own word for the ending, e.g. `success`, `error_max_turns`.
    public var ending: String
    /// Its final text (or the errors it reported).
    public var text: String
    public var turns: Int?
    public var costUSD: Double?
    public var session: String?

    public init(isError: Bool, ending: String, text: String, turns: Int? = nil, costUSD: Double? = nil, session: String? = nil) {
        self.isError = isError
        self.ending = ending
        self.text = text
        self.turns = turns
        self.costUSD = costUSD
        self.session = session
    }
}

extension AgentRunnerKind {
    /// The runner of this kind.
    public var runner: any AgentRunner {
        switch self {
        case .claude: ClaudeRunner()
        }
    }
}
