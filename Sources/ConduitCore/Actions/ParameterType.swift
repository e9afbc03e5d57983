/// The type of an action parameter, as written in an action file.
public enum ParameterType: String, Sendable, Codable, CaseIterable {
    /// Any JSON string without NUL bytes.
    case string
    /// A container path, mapped to a host path inside a volume (see ``PathMapper``).
    case path
    /// An absolute `http` or `https` URL with a host.
    case url
    /// A JSON integer that fits in 64 bits.
    case integer
    /// `true` or `false`.
    case boolean
    /// A JSON object of any members (e.g. a Claude Code tool's input). Rules can match its fields
    /// by path (`input.command`); a command receives it as compact JSON with sorted keys.
    case object
}
