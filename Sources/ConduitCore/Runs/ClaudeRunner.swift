import Foundation

/// Claude Code, headless: `claude -p --output-format stream-json --verbose`, the prompt on
/// standard input, the broker's hook and MCP server through `--settings` and `--mcp-config`
/// (`--strict-mcp-config`: no other MCP server), never a permission bypass.
///
/// The stream (Claude Code 2.1.332, recorded in `Tests/ConduitCoreTests/Fixtures`): one JSON object
/// per line — `system`/`init` (the session id), `assistant` messages (text and `tool_use` blocks),
/// `user` messages (`tool_result` blocks), `system`/`permission_denied` (a call Claude Code refused
/// itself), and a last `result` (`subtype`, `is_error`, `num_turns`, `total_cost_usd`, `result`).
public struct ClaudeRunner: AgentRunner {
    public init() {}

    public var kind: AgentRunnerKind { .claude }

    public func arguments(for invocation: RunnerInvocation) -> [String] {
        var arguments = [
            "-p", "--output-format", "stream-json", "--verbose", "--settings", invocation.settingsFile,
            "--strict-mcp-config", "--mcp-config", invocation.mcpConfigFile,
        ]
        if let model = invocation.model { arguments += ["--model", model] }
        if let turns = invocation.maxTurns { arguments += ["--max-turns", String(turns)] }
        if let budget = invocation.maxBudgetUSD { arguments += ["--max-budget-usd", String(budget)] }
        if let session = invocation.resume { arguments += ["--resume", session] }
        return arguments
    }

    public func passesEnvironment(_ name: String) -> Bool {
        name.hasPrefix("ANTHROPIC_") || name.hasPrefix("CLAUDE_CODE_")
    }

    public func parse(line: String) -> [RunnerOutput] {
        guard let value = try? JSONValue.parse(Data(line.utf8)), let type = value["type"]?.stringValue else { return [] }
        switch type {
        case "system":
            switch value["subtype"]?.stringValue {
            case "init":
                return value["session_id"]?.stringValue.map { [.session($0)] } ?? []
            case "permission_denied":
                guard let id = value["tool_use_id"]?.stringValue, let tool = value["tool_name"]?.stringValue else { return [] }
                return [.refusedByRunner(id: id, tool: tool, message: value["message"]?.stringValue ?? "")]
            default:
                return []
            }
        case "assistant":
            return (value["message"]?["content"]?.arrayValue ?? []).compactMap { block in
                switch block["type"]?.stringValue {
                case "text": block["text"]?.stringValue.map(RunnerOutput.message)
                case "tool_use":
                    block["id"]?.stringValue.flatMap { id in
                        block["name"]?.stringValue.map { .toolCall(id: id, tool: $0, input: block["input"] ?? [:]) }
                    }
                default: nil
                }
            }
        case "user":
            return (value["message"]?["content"]?.arrayValue ?? []).compactMap { block in
                guard block["type"]?.stringValue == "tool_result", let id = block["tool_use_id"]?.stringValue else { return nil }
                return .toolResult(id: id, isError: block["is_error"]?.boolValue ?? false, text: Self.text(of: block["content"]))
            }
        case "result":
            let errors = (value["errors"]?.arrayValue ?? []).compactMap(\.stringValue)
            let ending = value["subtype"]?.stringValue ?? "unknown"
            let isError = value["is_error"]?.boolValue ?? (ending != "success")
            let text = value["result"]?.stringValue ?? (errors.isEmpty ? ending : errors.joined(separator: "; "))
            return [
                .finished(
                    RunnerResult(
                        isError: isError, ending: ending, text: text, turns: value["num_turns"]?.integerValue.map { Int($0) },
                        costUSD: value["total_cost_usd"]?.doubleValue, session: value["session_id"]?.stringValue))
            ]
        default:
            return []
        }
    }

    /// A tool result's content: a string, or a list of parts whose text is joined.
    static func text(of content: JSONValue?) -> String {
        switch content {
        case .string(let text): text
        case .array(let parts): parts.compactMap { $0["text"]?.stringValue ?? $0["tool_name"]?.stringValue }.joined(separator: "\n")
        default: ""
        }
    }
}
