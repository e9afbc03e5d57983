import ConduitCore

/// The broker request that asks whether Claude Code may make one tool call: the shipped
/// `tool-use` action with `tool`, `input` and, when known, `session`.
public struct ToolUseRequest: Sendable, Equatable {
    /// The action that decides tool calls.
    public static let action = "tool-use"

    public var tool: String
    public var input: [String: JSONValue]
    public var session: String?
    /// The directory the tool runs in (Claude Code's `cwd`), so the approver sees where `rm -r keys` runs.
    public var cwd: String?

    public init(tool: String, input: [String: JSONValue], session: String? = nil, cwd: String? = nil) {
        self.tool = tool
        self.input = input
        self.session = session
        self.cwd = cwd
    }

    /// The JSON body of `POST /v1/actions`.
    public var body: JSONValue {
        var members: [String: JSONValue] = [
            "action": .string(Self.action), "tool": .string(tool), "input": .object(input),
        ]
        if let session, !session.isEmpty { members["session"] = .string(session) }
        if let cwd, !cwd.isEmpty { members["cwd"] = .string(cwd) }
        return .object(members)
    }
}
