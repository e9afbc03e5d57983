/// One declared parameter of an action.
public struct ParameterSpec: Sendable, Equatable {
    public var name: String
    public var type: ParameterType
    public var required: Bool
    public var description: String
    /// For a `path` parameter whose program only reads or only writes the file: the broker opens
    /// it itself, beneath its volume (`openat2`, `RESOLVE_BENEATH`), and the program gets that open
    /// file as its standard input, `{name}` becoming `/dev/stdin`. Nothing swapped in after the
    /// check can redirect it. `nil`: the program gets the host path and opens it by name.
    public var access: FileAccess?

    public init(name: String, type: ParameterType, required: Bool, description: String = "", access: FileAccess? = nil) {
        self.name = name
        self.type = type
        self.required = required
        self.description = description
        self.access = access
    }
}

/// How the broker opens a `path` parameter for its program (`open:` in an action file).
public enum FileAccess: String, Sendable, Equatable, CaseIterable {
    /// An existing regular file, read-only.
    case read
    /// A regular file, created if missing (mode 0666 less the umask) and truncated, write-only.
    case write

    /// The argument text the program gets in place of the path: its standard input.
    public static let argument = "/dev/stdin"
}
