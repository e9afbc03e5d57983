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
        guard parts[0].hasPrefix("/"), parts[1].hasPrefix("/") else {
            throw VolumeError(text: text, reason: "both HOST and CONTAINER must be absolute paths")
        }
        guard !parts.contains(where: { LexicalPath.hasControlCharacter($0) }) else {
            throw VolumeError(text: text, reason: "control characters are not allowed")
        }
        self.init(host: parts[0], container: parts[1])
    }

    public var description: String { "\(host):\(container)" }

    /// The part of `containerPath` below this volume's container directory, or nil if it is not below it.
    func relativePath(of containerPath: String) -> String? {
        if container == "/" { return String(containerPath.dropFirst()) }
        if containerPath == container { return "" }
        guard containerPath.hasPrefix(container + "/") else { return nil }
        return String(containerPath.dropFirst(container.count + 1))
    }
}

/// A `--volume` value that could not be read.
public struct VolumeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "invalid volume \"\(text)\": \(reason)" }
}
