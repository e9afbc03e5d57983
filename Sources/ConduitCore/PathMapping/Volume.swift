/// A directory shared between host and container, given docker-style as `HOST:CONTAINER`.
public struct Volume: Sendable, Equatable, CustomStringConvertible {
    /// The absolute, lexically normalised host directory.
    public var host: String
    /// The absolute, lexically normalised container directory.
    public var container: String

    public init(host: String, container: String) {
        self.host = LexicalPath.normalize(host)
        self.container = LexicalPath.normalize(container)
    }

    /// Parses `HOST:CONTAINER`; both sides must be absolute paths.
    public init(parsing text: String) throws(VolumeError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { throw VolumeError(text: text, reason: "expected HOST:CONTAINER") }
        guard parts[0].utf8.first == LexicalPath.slash, parts[1].utf8.first == LexicalPath.slash else {
            throw VolumeError(text: text, reason: "both HOST and CONTAINER must be absolute paths")
        }
        guard !parts.contains(where: { PathCharacters.forbidden(in: $0) != nil }) else {
            throw VolumeError(text: text, reason: "control, format and invisible characters are not allowed")
        }
        self.init(host: parts[0], container: parts[1])
    }

    public var description: String { "\(host):\(container)" }

    /// The bytes of `containerPath` below this volume's container directory, or nil if it is not below it.
    func relativePath(of containerPath: [UInt8]) -> [UInt8]? {
        LexicalPath.relative(of: containerPath, below: LexicalPath.bytes(container))
    }
}

/// A `--volume` value that could not be read.
public struct VolumeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "invalid volume \"\(text)\": \(reason)" }
}
