import ConduitCore

/// Claude Code's `--permission-prompt-tool` contract, answered by the broker's `tool-use` action.
///
/// Claude Code calls the tool with `{"tool_name", "input", "tool_use_id"?}` and expects one text
/// item holding `{"behavior": "allow", "updatedInput": {…}}` or `{"behavior": "deny", "message": "…"}`.
public enum PermissionPrompt {
    /// The MCP tool's name; Claude Code addresses it as `mcp__conduit__permission_prompt`.
    public static let toolName = "permission_prompt"

    public static let description =
        "Decides whether Claude Code may use a tool, through the host's Conduit broker (its tool-use action "
        + "and a person in ccc-queue). For claude -p … --permission-prompt-tool mcp__conduit__permission_prompt (print mode only)."

    /// The tool's input schema.
    public static let inputSchema: JSONValue = [
        "type": "object",
        "properties": [
            "tool_name": ["type": "string", "description": "The tool Claude Code wants to use."],
            "input": ["type": "object", "description": "The tool's input."],
            "tool_use_id": ["type": "string", "description": "Claude Code's id for this tool use."],
        ],
        "required": ["tool_name", "input"],
    ]

    /// The tool-use request for the tool's arguments.
    public static func request(fromArguments arguments: [String: JSONValue]) throws(HookFailure) -> ToolUseRequest {
        guard let tool = arguments["tool_name"]?.stringValue, !tool.isEmpty else {
            throw HookFailure("\"tool_name\" is required, a string")
        }
        guard case .object(let input)? = arguments["input"] else { throw HookFailure("\"input\" is required, an object") }
        return ToolUseRequest(tool: tool, input: input)
    }

    /// Allow (with the input unchanged) only when the broker accepted the call; otherwise deny, saying why.
    public static func answer(for outcome: ActionOutcome, input: [String: JSONValue]) -> JSONValue {
        if outcome.succeeded {
            return ["behavior": "allow", "updatedInput": .object(input)]
        }
        return ["behavior": "deny", "message": .string(outcome.summary)]
    }

    /// A denial for a call that could not be decided (bad arguments, broker unreachable…): fail closed.
    public static func denial(_ message: String) -> JSONValue {
        ["behavior": "deny", "message": .string("Conduit could not decide: \(message)")]
    }
}
