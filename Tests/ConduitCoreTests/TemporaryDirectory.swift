import Foundation

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() {
        var template = Array((NSTemporaryDirectory() + "/conduit-test.XXXXXX").utf8CString)
        let created = mkdtemp(&template)!
        // Resolve /tmp symlinks (e.g. macOS) so expectations compare physical paths.
        path = URL(fileURLWithPath: String(cString: created)).resolvingSymlinksInPath().path
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ text: String, mode: Int = 0o600) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
        chmod(file(name), mode_t(mode))
    }

    func mkdir(_ name: String) throws {
        try FileManager.default.createDirectory(atPath: file(name), withIntermediateDirectories: true)
    }

    func symlink(_ name: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: file(name), withDestinationPath: target)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
