import ConduitTestSupport
import Foundation

/// A detached tmux session running one program on a private tmux server (its own socket), so tests
/// can type keys and read the screen as a person would.
final class TmuxSession {
    let socket: String
    let name = "conduit"
    /// The tmux server's pid, so it can be stopped even if its socket is gone.
    private(set) var serverPID: Int32?

    /// Starts `command` (run by `/bin/sh -c` inside tmux) in a `width`×`height` window in `directory`.
    init(_ command: String, in directory: String, width: Int = 120, height: Int = 30, environment: [String: String] = [:]) throws {
        socket = NSTemporaryDirectory() + "/conduit-tmux-\(UUID().uuidString.prefix(8))"
        let exports = environment.sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        // The tmux server outlives this call, so it starts clean: no descriptor but 0–2 (Foundation
        // watches one to notice that its child exited, and would wait for the server forever) and no
        // blocked signals (the test process blocks some; tmux and the program in the pane would
        // inherit the mask and ignore SIGTERM, SIGHUP and SIGWINCH).
        let cleanStart = """
            import os, signal, sys
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            for number in (signal.SIGHUP, signal.SIGINT, signal.SIGTERM, signal.SIGWINCH, signal.SIGPIPE):
                signal.signal(number, signal.SIG_DFL)
            os.closerange(3, 65536)
            os.execvp(sys.argv[1], sys.argv[1:])
            """
        let result = try Command.run(
            "/usr/bin/env",
            ["python3", "-c", cleanStart, "tmux", "-u", "-S", socket, "new-session", "-d", "-s", name, "-x", String(width),
             "-y", String(height), "-c", directory,
             "env LANG=C.UTF-8 LC_ALL=C.UTF-8 \(exports) \(command); echo ccc-queue exited; sleep 30"],
            in: "/", environment: Self.utf8, timeout: 10)
        guard result.exitCode == 0 else { throw Workspace.SetupFailed(description: "tmux: \(result)") }
        serverPID = Int32((try tmux(["display-message", "-p", "#{pid}"])).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> CommandResult {
        try Command.run("/usr/bin/env", ["tmux", "-u", "-S", socket] + arguments, in: "/", environment: Self.utf8, timeout: 10)
    }

    /// tmux measures characters with its own locale: without UTF-8 it would lay out wide
    /// characters differently from the program it shows.
    static let utf8 = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]

    /// Types `keys` (tmux key names such as `Enter`, `Down`, or literal text with `literal`).
    func send(_ keys: String..., literal: Bool = false) throws {
        try tmux(["send-keys", "-t", name] + (literal ? ["-l"] : []) + keys)
    }

    /// Presses `key`, types `text` into the prompt it opens, and presses Enter.
    func answer(_ key: String, with text: String) throws {
        try send(key)
        try send(text, literal: true)
        try send("Enter")
    }

    /// The visible screen, one string per row.
    func screen() -> String {
        (try? tmux(["capture-pane", "-p", "-t", name]))?.stdout ?? ""
    }

    /// Waits (at most `timeout` s) until the screen contains `text`; returns whether it did.
    func waitFor(_ text: String, timeout: TimeInterval = 10) -> Bool {
        eventually(timeout: timeout) { screen().contains(text) }
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    deinit {
        _ = try? tmux(["kill-server"])
        if let serverPID { kill(serverPID, SIGTERM) }
        try? FileManager.default.removeItem(atPath: socket)
    }
}
