/// A parameter value that passed validation.
public enum ParameterValue: Sendable, Equatable {
    case string(String)
    case path(MappedPath)
    case url(String)
    case integer(Int64)
    case boolean(Bool)
    case object([String: JSONValue])

    /// The text that replaces `{param}` in a command: the *host* path for paths.
    public var argument: String {
        switch self {
        case .string(let text), .url(let text): text
        case .path(let mapped): mapped.host
        case .integer(let number): String(number)
        case .boolean(let flag): flag ? "true" : "false"
        case .object(let members): JSONValue.object(members).compactText
        }
    }

    /// The texts rules match against: for a path, the normalised *container* path as requested and
    /// the resolved path in its container form (one text when they are the same); else the argument.
    public var matchTexts: [String] {
        switch self {
        case .path(let mapped):
            mapped.resolvedContainer == mapped.container ? [mapped.container] : [mapped.container, mapped.resolvedContainer]
        default: [argument]
        }
    }

    /// The value as recorded and shown to clients (container paths, never host paths).
    public var json: JSONValue {
        switch self {
        case .string(let text), .url(let text): .string(text)
        case .path(let mapped): .string(mapped.container)
        case .integer(let number): .integer(number)
        case .boolean(let flag): .bool(flag)
        case .object(let members): .object(members)
        }
    }

    /// The value with a path in its *resolved* container form: what a remembered grant is keyed
    /// by, so a grant for `proj` stops applying once `proj` is a link to somewhere else.
    public var resolvedJSON: JSONValue {
        if case .path(let mapped) = self { return .string(mapped.resolvedContainer) }
        return json
    }

    /// The texts rules match against at `fieldPath` inside an object value: a string member as
    /// itself, a number or boolean as JSON text, an array or object as compact JSON. `nil` when the
    /// path leads nowhere (a missing member, or a path into a value that is not an object), so a
    /// condition on an absent field never matches.
    public func matchTexts(at fieldPath: [String]) -> [String]? {
        guard !fieldPath.isEmpty else { return matchTexts }
        guard case .object(let members) = self else { return nil }
        var value = JSONValue.object(members)
        for field in fieldPath {
            guard let member = value[field] else { return nil }
            value = member
        }
        return [value.plainText]
    }
}
