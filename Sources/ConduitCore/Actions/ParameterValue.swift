/// A parameter value that passed validation.
public enum ParameterValue: Sendable, Equatable {
    case string(String)
    case path(MappedPath)
    case url(String)
    case integer(Int64)
    case boolean(Bool)

    /// The text that replaces `{param}` in a command: the *host* path for paths.
    public var argument: String {
        switch self {
        case .string(let text), .url(let text): text
        case .path(let mapped): mapped.host
        case .integer(let number): String(number)
        case .boolean(let flag): flag ? "true" : "false"
        }
    }

    /// The text rules match against: the normalised *container* path for paths.
    public var matchText: String {
        switch self {
        case .path(let mapped): mapped.container
        default: argument
        }
    }

    /// The value as recorded and shown to clients (container paths, never host paths).
    public var json: JSONValue {
        switch self {
        case .string(let text), .url(let text): .string(text)
        case .path(let mapped): .string(mapped.container)
        case .integer(let number): .integer(number)
        case .boolean(let flag): .bool(flag)
        }
    }
}
