import ConduitCore
import ConduitStore

/// An attempt's tool calls: those the runner reports (`tool.call`, `tool.result`, and the calls it
/// refused itself) and the broker's requests for them (made by the hook or the MCP server with the
/// attempt's credential), matched by tool and input, so a `tool.decision` names both the runner's
/// `tool_use_id` and the broker's `request`.
struct ToolCalls {
    private struct Call {
        var id: String
        var tool: String
        var input: JSONValue
        var request: String?
    }

    private var calls: [Call] = []
    private var seenRequests: Set<String> = []
    private var decided: Set<String> = []
    /// Requests of the attempt still waiting for a person.
    private(set) var pending: Set<String> = []

    /// The longest text of one field kept in an event (tool input, message, result tail).
    static let fieldLimit = 8000

    /// The event for something the runner said, if it says one.
    mutating func change(for output: RunnerOutput, attempt: Int) -> ConduitStore.RunChange? {
        let number = JSONValue.integer(Int64(attempt))
        switch output {
        case .session, .finished:
            return nil
        case .message(let text):
            return .init(.message, ["attempt": number, "text": .string(Self.head(text))])
        case .toolCall(let id, let tool, let input):
            calls.append(Call(id: id, tool: tool, input: input))
            return .init(.toolCall, ["attempt": number, "tool_use_id": .string(id), "tool": .string(tool), "input": Self.bounded(input)])
        case .refusedByRunner(let id, let tool, let message):
            return .init(
                .toolDecision,
                [
                    "attempt": number, "tool_use_id": .string(id), "tool": .string(tool), "outcome": "denied", "by": "runner",
                    "reason": .string(Self.head(message)),
                ])
        case .toolResult(let id, let isError, let text):
            return .init(.toolResult, ["attempt": number, "tool_use_id": .string(id), "is_error": .bool(isError), "text": .string(Self.tail(text))])
        }
    }

    /// The events for a change of one of the attempt's requests, and whether the attempt now waits
    /// for a person (nil: no change to that).
    mutating func observe(_ event: BrokerEvent, attempt: Int) -> (changes: [ConduitStore.RunChange], waiting: Bool?) {
        let record = event.record
        // The MCP server listing the catalog is no tool call of the agent's.
        guard record.action != ActionDefinition.listActions.name else { return ([], nil) }
        var toolUseID: String?
        if let index = calls.firstIndex(where: { $0.request == record.id }) {
            toolUseID = calls[index].id
        } else if !seenRequests.contains(record.id), let index = match(record) {
            calls[index].request = record.id
            toolUseID = calls[index].id
        }
        seenRequests.insert(record.id)
        if record.status == .pending {
            pending.insert(record.id)
            return ([], true)
        }
        let wasPending = pending.remove(record.id) != nil
        // Decided: the attempt waits no more once none of its requests is pending.
        let waiting: Bool? = wasPending && pending.isEmpty ? false : nil
        guard record.status != .running, !decided.contains(record.id) else { return ([], waiting) }
        decided.insert(record.id)
        var data: [String: JSONValue] = [
            "attempt": .integer(Int64(attempt)), "request": .string(record.id), "action": .string(record.action),
            "outcome": .string(Self.outcome(of: record.status)), "status": .string(record.status.rawValue),
        ]
        if let tool = record.params["tool"]?.stringValue, record.action == "tool-use" { data["tool"] = .string(tool) }
        if let toolUseID { data["tool_use_id"] = .string(toolUseID) }
        if let by = record.decision?.by { data["by"] = .string(by) }
        if let reason = record.reason { data["reason"] = .string(reason) }
        return ([.init(.toolDecision, .object(data))], waiting)
    }

    /// The first unmatched call the record is the request for: `tool-use` names the tool and its
    /// input; a catalog action is the MCP tool `mcp__conduit__<action>`.
    private func match(_ record: ActionRecord) -> Int? {
        let candidates = calls.indices.filter { calls[$0].request == nil }
        if record.action == "tool-use", let tool = record.params["tool"]?.stringValue {
            let input = record.params["input"]
            return candidates.first { calls[$0].tool == tool && calls[$0].input == input }
                ?? candidates.first { calls[$0].tool == tool }
        }
        return candidates.first { calls[$0].tool == "mcp__conduit__\(record.action)" }
    }

    static func outcome(of status: ActionStatus) -> String {
        switch status {
        case .completed, .running: "allowed"
        case .failed: "failed"
        case .denied: "denied"
        case .expired: "expired"
        case .canceled: "withdrawn"
        case .pending: "pending"
        }
    }

    static func head(_ text: String) -> String {
        text.utf8.count > fieldLimit ? String(decoding: Array(text.utf8.prefix(fieldLimit)), as: UTF8.self) + "…" : text
    }

    static func tail(_ text: String) -> String {
        text.utf8.count > fieldLimit ? "…" + String(decoding: Array(text.utf8.suffix(fieldLimit)), as: UTF8.self) : text
    }

    /// `input`, or a preview of it when its JSON is too long for an event.
    static func bounded(_ input: JSONValue) -> JSONValue {
        let text = input.compactText
        guard text.utf8.count > fieldLimit else { return input }
        return ["truncated": true, "preview": .string(head(text))]
    }
}
