import ConduitAgent
import ConduitCore
import Testing

/// The PreToolUse hook and the permission-prompt tool: what they read and what they answer.
@Suite("Claude Code's hook and permission prompt")
struct ClaudeCodeGateTests {
    static let bashInput = #"""
        {"session_id": "s1", "transcript_path": "/t.jsonl", "cwd": "/workspace", "permission_mode": "default",
         "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "ls -la"}}
        """#

    @Test func theHookInputBecomesATooluseRequest() throws {
        let request = try PreToolUseHook.request(fromInput: Array(Self.bashInput.utf8))
        #expect(request == ToolUseRequest(tool: "Bash", input: ["command": "ls -la"], session: "s1", cwd: "/workspace"))
        #expect(
            request.body
                == ["action": "tool-use", "tool": "Bash", "input": ["command": "ls -la"], "session": "s1", "cwd": "/workspace"])
    }

    @Test(arguments: [
        "", "[]", "not json", #"{"tool_input": {}}"#, #"{"tool_name": "Bash"}"#,
        #"{"tool_name": "Bash", "tool_input": "ls"}"#,
        #"{"hook_event_name": "PostToolUse", "tool_name": "Bash", "tool_input": {}}"#,
    ])
    func unusableHookInputIsAFailure(input: String) {
        #expect(throws: HookFailure.self) { try PreToolUseHook.request(fromInput: Array(input.utf8)) }
    }

    @Test func anAcceptedCallIsAllowed() throws {
        let output = try PreToolUseHook.output(for: .completed(record: ["action": "tool-use", "id": "r1"]))
        let specific = try #require(output["hookSpecificOutput"])
        #expect(specific["hookEventName"] == "PreToolUse")
        #expect(specific["permissionDecision"] == "allow")
        #expect(specific["permissionDecisionReason"] == "Conduit: Completed tool-use (request r1).")
    }

    @Test func aDeniedExpiredOrCanceledCallIsDeniedWithTheReason() throws {
        let denied = try PreToolUseHook.output(for: .denied(reason: "denied by alice: not on main", approver: "alice"))
        #expect(denied["hookSpecificOutput"]?["permissionDecision"] == "deny")
        #expect(denied["hookSpecificOutput"]?["permissionDecisionReason"] == "Conduit: Denied by alice: not on main")
        for outcome in [ActionOutcome.expired(reason: "expired: nobody decided"), .canceled(reason: "canceled by agent")] {
            #expect(try PreToolUseHook.output(for: outcome)["hookSpecificOutput"]?["permissionDecision"] == "deny")
        }
    }

    @Test func noDecisionOrARefusedRequestFailsClosed() {
        #expect(throws: HookFailure.self) { try PreToolUseHook.output(for: .stillPending(id: "r1")) }
        #expect(throws: HookFailure.self) { try PreToolUseHook.output(for: .refused(status: 400, message: "bad")) }
    }

    @Test func thePermissionPromptAllowsWithTheInputUnchanged() throws {
        let request = try PermissionPrompt.request(
            fromArguments: ["tool_name": "Write", "input": ["file_path": "/workspace/a"], "tool_use_id": "toolu_1"])
        #expect(request == ToolUseRequest(tool: "Write", input: ["file_path": "/workspace/a"]))
        #expect(
            PermissionPrompt.answer(for: .completed(record: [:]), input: request.input)
                == ["behavior": "allow", "updatedInput": ["file_path": "/workspace/a"]])
    }

    @Test func thePermissionPromptDeniesEverythingElseSayingWhy() throws {
        #expect(
            PermissionPrompt.answer(for: .denied(reason: "denied by bob: no", approver: "bob"), input: [:])
                == ["behavior": "deny", "message": "Denied by bob: no"])
        #expect(
            PermissionPrompt.answer(for: .stillPending(id: "r"), input: [:])["behavior"] == "deny")
        #expect(throws: HookFailure.self) { try PermissionPrompt.request(fromArguments: ["tool_name": "Read"]) }
        #expect(throws: HookFailure.self) { try PermissionPrompt.request(fromArguments: ["input": [:]]) }
        #expect(PermissionPrompt.denial("unreachable")["behavior"] == "deny")
    }
}
