/// Why the run policies could not be loaded. The server refuses to start (or keeps the old ones on
/// reload) and prints the message, which names the file and the field at fault.
public struct RunPolicyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file at fault (or the directory).
    public var file: String
    /// The field at fault, e.g. `checks[0].on_fail`; empty when the whole file is at fault.
    public var field: String
    public var reason: String

    public init(file: String, field: String, reason: String) {
        self.file = file
        self.field = field
        self.reason = reason
    }

    public var description: String {
        field.isEmpty ? "\(file): \(reason)" : "\(file): \(field): \(reason)"
    }
}
