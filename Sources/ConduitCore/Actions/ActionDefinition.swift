/// One action: what it takes, how it is decided, and what (if anything) it runs on the host.
public struct ActionDefinition: Sendable {
    /// The action's name: its file name without `.yaml`.
    public var name: String
    public var description: String
    public var params: [ParameterSpec]
    /// The policy when no rule matches.
    public var policy: ActionPolicy
    public var rules: [PolicyRule]
    /// The command to run; `nil` for a decision-only action, which just records the decision.
    public var run: CommandTemplate?
    /// How long the command may run before it is killed, in seconds.
    public var timeout: Int
    /// How long a queued request may wait for a person, in seconds; `nil` uses the server's default.
    public var expires: Int?
    /// Set for actions the server answers itself (`list-actions`).
    public var builtin: Builtin?
    /// Identifies this version of the action (a hash of its file): a request queued under one
    /// version is not approved under another (see `ActionBroker.approve`).
    public var fingerprint: String = ""

    /// Actions implemented by the server rather than by a command.
    public enum Builtin: Sendable, Equatable {
        case listActions
        /// The start of a supervised run waiting for a person (run policy `queue`); made by
        /// `POST /v1/runs` only, decision-only: its approval lets the runs start.
        case runStart
    }

    public init(
        name: String, description: String, params: [ParameterSpec] = [], policy: ActionPolicy,
        rules: [PolicyRule] = [], run: CommandTemplate? = nil, timeout: Int = 30, expires: Int? = nil,
        builtin: Builtin? = nil
    ) {
        self.name = name
        self.description = description
        self.params = params
        self.policy = policy
        self.rules = rules
        self.run = run
        self.timeout = timeout
        self.expires = expires
        self.builtin = builtin
    }

    /// The longest wait an action file or the server may set: 7 days.
    public static let longestExpiry = 7 * 24 * 3600

    /// The declared parameter called `name`.
    public func parameter(named name: String) -> ParameterSpec? {
        params.first { $0.name == name }
    }

    /// Action names: lower-case letters, digits and `-`, starting with a letter or digit.
    public static func isValidActionName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 64 else { return false }
        return isLowerAlnum(first) && name.utf8.allSatisfy { isLowerAlnum($0) || $0 == 0x2D }
    }

    /// Parameter names: letters, digits, `_` and `-`, starting with a letter or `_`; never `action`.
    public static func isValidParameterName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 64, name != "action" else { return false }
        let isLetter = { (byte: UInt8) in (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) }
        return (isLetter(first) || first == 0x5F)
            && name.utf8.allSatisfy { isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2D }
    }

    private static func isLowerAlnum(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
    }

    /// The built-in action that lists the catalog.
    public static let listActions = ActionDefinition(
        name: "list-actions",
        description: "List every action this broker offers: name, description, policy and parameters.",
        policy: .autoAccept, builtin: .listActions)

    /// The built-in action a queued run start is a request of (`POST /v1/runs` with a run policy
    /// of `queue`): approvers see the policy, project, prompt and fan-out in ccc-queue.
    public static let runStart = ActionDefinition(
        name: "run",
        description: "Start a supervised run of a coding agent on a project (asked through POST /v1/runs).",
        params: [
            ParameterSpec(name: "policy", type: .string, required: true, description: "The run policy (runs/NAME.yaml)."),
            ParameterSpec(name: "project", type: .string, required: true, description: "The project the agent works on."),
            ParameterSpec(name: "prompt", type: .string, required: true, description: "What the agent is asked to do."),
            ParameterSpec(name: "fanout", type: .integer, required: true, description: "How many runs of it start."),
        ],
        policy: .queue, builtin: .runStart)

    /// Names of the built-in actions (no action file may take one).
    public static let builtinNames: Set<String> = [listActions.name, runStart.name]
}
