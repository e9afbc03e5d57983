/// Why the action catalog could not be loaded. The server refuses to start (or keeps the old
/// catalog on reload) and prints the message, which names the file and the field at fault.
public struct ActionCatalogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file at fault (or the directory).
    public var file: String
    /// The field at fault, e.g. `params[1].type`; empty when the whole file is at fault.
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
