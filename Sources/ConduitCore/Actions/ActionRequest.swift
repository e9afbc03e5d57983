/// A request as an agent writes it: the verb in `action`, its parameters flat beside it.
///
/// ```json
/// {"action": "edit-file", "filename": "/workspace/foo.mjs"}
/// ```
public struct ActionRequest: Sendable, Equatable {
    public var action: String
    /// Every member except `action`, as given.
    public var arguments: [String: JSONValue]

    public init(action: String, arguments: [String: JSONValue] = [:]) {
        self.action = action
        self.arguments = arguments
    }

    /// Reads a request body.
    public init(body: some Collection<UInt8>) throws(RequestError) {
        try self.init(json: try Self.json(of: body))
    }

    /// A request body as JSON (whatever its shape); 400 `invalid_json` when it is not JSON.
    public static func json(of body: some Collection<UInt8>) throws(RequestError) -> JSONValue {
        do {
            return try JSONValue.parse(Array(body))
        } catch {
            throw .invalidJSON("the body is not valid JSON; send an object such as {\"action\": \"list-actions\"}")
        }
    }

    /// Reads a request from a parsed body.
    public init(json value: JSONValue) throws(RequestError) {
        guard case .object(var members) = value else {
            throw .invalidJSON("the body must be a JSON object such as {\"action\": \"list-actions\"}")
        }
        guard let action = members.removeValue(forKey: "action") else {
            throw RequestError(code: "missing_parameter", message: "the request has no \"action\"", parameter: "action")
        }
        guard case .string(let name) = action else {
            throw .mistyped("action", expected: "a string", got: action)
        }
        self.init(action: name, arguments: members)
    }

    /// The JSON object form, `action` included.
    public var json: JSONValue {
        var members = arguments
        members["action"] = .string(action)
        return .object(members)
    }
}
