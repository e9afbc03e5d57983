import ConduitTestSupport
import Foundation

/// A scratch directory laid out like the README's: secrets, data volumes, actions, a fake opener.
struct Workspace {
    let directory = TemporaryDirectory(prefix: "conduit-e2e")
    var path: String { directory.path }

    init() throws {
        for directory in ["data/workspace", "data/claude-home", "bin", "actions"] {
            try FileManager.default.createDirectory(atPath: file(directory), withIntermediateDirectories: true)
        }
        for name in ["edit-file.yaml", "open-browser.yaml", "open-terminal.yaml", "tool-use.yaml"] {
            try FileManager.default.copyItem(atPath: Binaries.repository + "/actions/" + name, toPath: file("actions/" + name))
        }
        // Stand-ins for the desktop: each records what it was asked to open in opened.log, as the
        // real ones would open it; xdg-open (open by file type) also in xdg-open.log, gtk-launch
        // (start an application for a file) the application in launched.log.
        try write(
            "bin/xdg-open",
            "#!/bin/sh\nd=\"$(dirname \"$0\")\"\nprintf '%s\\n' \"$@\" >> \"$d/opened.log\"\nprintf '%s\\n' \"$@\" >> \"$d/xdg-open.log\"\n",
            mode: 0o755)
        try write("bin/xdg-mime", "#!/bin/sh\n[ \"$*\" = 'query default text/plain' ] && echo org.example.TextEditor.desktop\n", mode: 0o755)
        try write(
            "bin/gtk-launch",
            "#!/bin/sh\nd=\"$(dirname \"$0\")\"\nprintf '%s\\n' \"$1\" >> \"$d/launched.log\"\nshift\nprintf '%s\\n' \"$@\" >> \"$d/opened.log\"\n",
            mode: 0o755)
    }

    func file(_ name: String) -> String { directory.file(name) }

    func write(_ name: String, _ text: String, mode: Int = 0o644) throws { try directory.write(name, text, mode: mode) }

    func read(_ name: String) -> String { directory.read(name) }

    /// PATH with the fake opener first, for the server.
    var serverEnvironment: [String: String] {
        ["PATH": file("bin") + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
    }

    /// Starts the real `ccc-server` here with `secrets.json`, `actions/` and the fake desktop on
    /// PATH (``serverEnvironment``), plus `extra` arguments.
    func startServer(_ extra: [String] = []) throws -> ServerProcess {
        try ServerProcess(arguments: ["--secrets", "secrets.json", "--actions", "actions"] + extra, in: path, environment: serverEnvironment)
    }

    func keygen(_ arguments: String...) throws -> CommandResult {
        try Command.run(Binaries.path("ccc-keygen"), arguments, in: path)
    }

    func client(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try Command.run(Binaries.path("ccc-client"), arguments, in: path, environment: environment)
    }

    func remove() { directory.remove() }
}
