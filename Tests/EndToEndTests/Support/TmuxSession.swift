import Foundation

/// A detached tmux session running one program on a private tmux server (its own socket), so tests
/// can type keys and read the screen as a person would.
final class TmuxSession {
    let socket: String
    let name = "conduit"

    /// Starts `command` (run by `/bin/sh -c` inside tmux) in a `width`×`height` window in `directory`.
    init(_ command: String, in directory: String, width: Int = 120, height: Int = 30, environment: [String: String] = [:]) throws {
        socket = NSTemporaryDirectory() + "/conduit-tmux-\(UUID().uuidString.prefix(8))"
        let exports = environment.sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        // The tmux server outlives this call: it must not inherit the descriptor Foundation uses to
        // notice that its child exited, or `Process` would wait for it forever. Close all but 0–2.
        let closeInherited = #"for fd in /proc/self/fd/*; do n=${fd##*/}; if [ "$n" -gt 2 ]; then eval "exec $n>&-"; fi; done; exec "$@""#
        let result = try Command.run(
            "/bin/bash",
            ["-c", closeInherited, "bash", "tmux", "-u", "-S", socket, "new-session", "-d", "-s", name, "-x", String(width), "-y",
             String(height), "-c", directory,
             "env LANG=C.UTF-8 LC_ALL=C.UTF-8 \(exports) \(command); sleep 30"],
            in: "/", environment: Self.utf8, timeout: 10)
        guard result.exitCode == 0 else { throw Workspace.SetupFailed(description: "tmux: \(result)") }
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
        try? FileManager.default.removeItem(atPath: socket)
    }
}
