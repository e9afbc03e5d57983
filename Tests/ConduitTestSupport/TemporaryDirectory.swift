import Foundation

/// A fresh directory under the system's temporary directory, removed by `remove()`.
///
/// Its path is physical (symbolic links such as macOS's `/tmp` resolved), so expectations can
/// compare it with paths the broker resolved.
public struct TemporaryDirectory: Sendable {
    public let path: String

    /// Creates `$TMPDIR/<prefix>.XXXXXX`.
    public init(prefix: String = "conduit-test") {
        var template = Array((NSTemporaryDirectory() + "/\(prefix).XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else {
            fatalError("cannot create a temporary directory in \(NSTemporaryDirectory()): errno \(errno)")
        }
        path = URL(fileURLWithPath: String(cString: created)).resolvingSymlinksInPath().path
    }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to `name` with `mode`.
    public func write(_ name: String, _ text: String, mode: Int = 0o600) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
        chmod(file(name), mode_t(mode))
    }

    /// The text of `name`, or "" if it cannot be read.
    public func read(_ name: String) -> String { (try? String(contentsOfFile: file(name), encoding: .utf8)) ?? "" }

    /// Creates `name` and its parents.
    public func mkdir(_ name: String) throws {
        try FileManager.default.createDirectory(atPath: file(name), withIntermediateDirectories: true)
    }

    /// Creates the link `name` → `target`.
    public func symlink(_ name: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: file(name), withDestinationPath: target)
    }

    /// Removes the directory and everything in it.
    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
