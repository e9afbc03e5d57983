import ConduitCore

/// Claude Code's PreToolUse command hook: the JSON it writes to the hook's stdin, and the JSON the
/// hook answers with on stdout.
///
/// Claude Code lets the tool run when a hook fails or times out, so the hook must *fail closed*:
/// anything but a decision (unreadable input, broker unreachable, a bad signature, no decision in
/// time) is a ``HookFailure`` — the command exits 2, which blocks the call.
public enum PreToolUseHook {
    /// Reads the hook input: `tool_name` and `tool_input` are required, `session_id` and `cwd` are
    /// kept; other fields (`transcript_path`, `permission_mode`, …) are ignored.
    public static func request(fromInput bytes: [UInt8]) throws(HookFailure) -> ToolUseRequest {
        let input: JSONValue
        do {
            input = try JSONValue.parse(bytes)
        } catch {
            throw HookFailure("the hook input on stdin is not JSON")
        }
        guard case .object = input else { throw HookFailure("the hook input on stdin is not a JSON object") }
        if let event = input["hook_event_name"]?.stringValue, event != "PreToolUse" {
            throw HookFailure("this hook handles PreToolUse events, not \(event)")
        }
        guard let tool = input["tool_name"]?.stringValue, !tool.isEmpty else {
            throw HookFailure("the hook input has no \"tool_name\"")
        }
        guard case .object(let toolInput)? = input["tool_input"] else {
            throw HookFailure("the hook input has no \"tool_input\" object")
        }
        return ToolUseRequest(
            tool: tool, input: toolInput, session: input["session_id"]?.stringValue, cwd: input["cwd"]?.stringValue)
    }

    /// The hook's answer for a decided request: allow when the broker accepted it, deny (with the
    /// approver's words) when it was denied, expired or withdrawn. A request that is still pending,
    /// or that the broker refused as invalid, is a ``HookFailure``.
    public static func output(for outcome: ActionOutcome) throws(HookFailure) -> JSONValue {
        let decision: String
        switch outcome {
        case .completed:
            decision = "allow"
        case .denied, .expired, .canceled, .failed:
            decision = "deny"
        case .stillPending(let id):
            throw HookFailure("no decision in time for request \(id); blocked (it was withdrawn)")
        case .refused(413, let message):
            throw HookFailure(
                "the broker refused the tool-use request (413): \(message); this tool call is larger than the "
                    + "broker accepts (raise ccc-server --body-limit)")
        case .refused(let status, let message):
            throw HookFailure("the broker refused the tool-use request (\(status)): \(message)")
        }
        return [
            "hookSpecificOutput": [
                "hookEventName": "PreToolUse",
                "permissionDecision": .string(decision),
                "permissionDecisionReason": .string("Conduit: " + outcome.summary),
            ]
        ]
    }
}

/// Why the hook gives no decision; its command prints the message on stderr and exits 2.
public struct HookFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
