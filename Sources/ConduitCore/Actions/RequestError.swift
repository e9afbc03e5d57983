/// Why an action request was refused before any decision: the server answers 400 with ``code``,
/// the message, and the offending ``parameter`` when there is one. Nothing is recorded or run.
public struct RequestError: Error, Equatable, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var parameter: String?

    public init(code: String, message: String, parameter: String? = nil) {
        self.code = code
        self.message = message
        self.parameter = parameter
    }

    public var description: String { message }

    public static func invalidJSON(_ message: String) -> RequestError {
        RequestError(code: "invalid_json", message: message)
    }
    public static func unknownAction(_ name: String) -> RequestError {
        RequestError(
            code: "unknown_action", message: "unknown action \"\(name)\"; list-actions shows the available ones",
            parameter: "action")
    }
    /// `run` named as an action: runs start through their own endpoint.
    public static let runThroughRuns = RequestError(
        code: "unknown_action",
        message: "\"run\" is not submitted as an action: start a run with POST /v1/runs (ccc-client run)", parameter: "action")

    public static func missing(_ name: String, action: String) -> RequestError {
        RequestError(
            code: "missing_parameter", message: "\(action) requires the parameter \"\(name)\"", parameter: name)
    }
    public static func unknown(_ name: String, action: String) -> RequestError {
        RequestError(code: "unknown_parameter", message: "\(action) has no parameter \"\(name)\"", parameter: name)
    }
    public static func mistyped(_ name: String, expected: String, got: JSONValue) -> RequestError {
        RequestError(
            code: "invalid_parameter_type", message: "\"\(name)\" must be \(expected), got \(got.typeName)",
            parameter: name)
    }
}
