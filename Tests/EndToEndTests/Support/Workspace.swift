import Foundation

/// A scratch directory laid out like the README's: secrets, data volumes, actions, a fake opener.
struct Workspace {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/conduit-e2e.XXXXXX").utf8CString)
        path = URL(fileURLWithPath: String(cString: mkdtemp(&template)!)).resolvingSymlinksInPath().path
        for directory in ["data/workspace", "data/claude-home", "bin", "actions"] {
            try FileManager.default.createDirectory(atPath: file(directory), withIntermediateDirectories: true)
        }
        for name in ["edit-file.yaml", "open-browser.yaml", "open-terminal.yaml", "tool-use.yaml"] {
            try FileManager.default.copyItem(atPath: Binaries.repository + "/actions/" + name, toPath: file("actions/" + name))
        }
        // A stand-in for the desktop's opener: records its arguments, as the real one would open them.
        try write("bin/xdg-open", "#!/bin/sh\nprintf '%s\\n' \"$@\" >> \"$(dirname \"$0\")/opened.log\"\n", mode: 0o755)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ text: String, mode: Int = 0o644) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
        chmod(file(name), mode_t(mode))
    }

    func read(_ name: String) -> String { (try? String(contentsOfFile: file(name), encoding: .utf8)) ?? "" }

    /// PATH with the fake opener first, for the server.
    var serverEnvironment: [String: String] {
        ["PATH": file("bin") + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
    }

    func keygen(_ arguments: String...) throws -> CommandResult {
        try Command.run(Binaries.path("ccc-keygen"), arguments, in: path)
    }

    func client(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try Command.run(Binaries.path("ccc-client"), arguments, in: path, environment: environment)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
