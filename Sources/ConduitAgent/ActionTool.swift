import ConduitCore

/// One broker action offered as an MCP tool: its name, description and a JSON Schema for its input,
/// generated from the action's declared parameters (as `list-actions` reports them).
public struct ActionTool: Sendable, Equatable {
    public var name: String
    public var description: String
    /// A JSON Schema (draft 2020-12 subset) object: `type`, `properties`, `required`,
    /// `additionalProperties: false`.
    public var inputSchema: JSONValue

    public init(name: String, description: String, inputSchema: JSONValue) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }

    /// Actions that are not offered as tools: `list-actions` (the tool list is that listing),
    /// `tool-use` (the gate for Claude Code's own tools, used by the hook and `permission_prompt`)
    /// and `run` (a run's start, asked through `POST /v1/runs`; never listed by newer brokers).
    public static let hiddenActions: Set<String> = ["list-actions", "tool-use", "run"]

    /// The tools for a `list-actions` result (`{"actions": [{name, description, policy, params}]}`).
    public static func tools(fromListing listing: JSONValue) -> [ActionTool] {
        (listing["actions"]?.arrayValue ?? []).compactMap { action in
            guard let name = action["name"]?.stringValue, !hiddenActions.contains(name) else { return nil }
            var description = action["description"]?.stringValue ?? name
            if action["policy"]?.stringValue.flatMap(ActionPolicy.init(rawValue:)) == .queue {
                description += " Usually waits for a person to approve it on the host."
            }
            return ActionTool(
                name: name, description: description, inputSchema: schema(for: action["params"]?.arrayValue ?? []))
        }
    }

    /// The JSON Schema of an action's parameters.
    static func schema(for params: [JSONValue]) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        var required: [JSONValue] = []
        for param in params {
            guard let name = param["name"]?.stringValue, let type = param["type"]?.stringValue else { continue }
            var property = propertySchema(type: type)
            let description = param["description"]?.stringValue ?? ""
            let note = typeNote(type)
            let text = [description, note].filter { !$0.isEmpty }.joined(separator: " ")
            if !text.isEmpty { property["description"] = .string(text) }
            properties[name] = .object(property)
            if param["required"] == .bool(true) { required.append(.string(name)) }
        }
        return [
            "type": "object", "properties": .object(properties), "required": .array(required),
            "additionalProperties": false,
        ]
    }

    private static func propertySchema(type: String) -> [String: JSONValue] {
        switch type {
        case "integer": ["type": "integer"]
        case "boolean": ["type": "boolean"]
        case "object": ["type": "object"]
        case "url": ["type": "string", "format": "uri"]
        default: ["type": "string"]
        }
    }

    private static func typeNote(_ type: String) -> String {
        switch type {
        case "path": "(A path inside the container's shared volumes, e.g. /workspace/…; it is mapped to the host.)"
        case "url": "(An absolute http or https URL.)"
        default: ""
        }
    }
}
