import ArgumentParser
import ConduitAgent
import ConduitClient
import ConduitCommandLine
import ConduitCore
import Foundation

/// `ccc-client hook`: Claude Code's PreToolUse hook, decided by the broker's `tool-use` action.
struct HookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "A Claude Code PreToolUse hook: ask the broker whether a tool call may run.",
        discussion: """
            Reads the hook's JSON on stdin, submits the tool-use action, waits for the decision and
            prints {"hookSpecificOutput": {"permissionDecision": "allow" | "deny", ...}}; exit 0.
            Fails closed: on any failure (broker unreachable, bad signature, no decision in time) it
            prints one line on stderr and exits 2, which blocks the tool call.
            Keep the timeouts in step: tool-use's expires (540) < --timeout (580) < the hook's
            timeout in Claude Code's settings (600 by default).
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Seconds to wait for a person; keep it below the hook's timeout in Claude Code's settings.")
    var timeout = 580

    func run() async throws {
        throw ExitCode(await decide())
    }

    /// 0 with a decision on stdout, or 2 with the reason on stderr.
    func decide() async -> Int32 {
        guard timeout >= 0 else { return block(HookFailure("--timeout cannot be negative")) }
        Self.exitAtTheLatest(afterSeconds: timeout)
        let input = FileHandle.standardInput.readDataToEndOfFile()
        do throws(HookFailure) {
            let request = try PreToolUseHook.request(fromInput: Array(input))
            let outcome = try await ask(request)
            let output = try PreToolUseHook.output(for: outcome)
            print(output.compactText)
            return 0
        } catch {
            return block(error)
        }
    }

    private func block(_ failure: HookFailure) -> Int32 {
        FileHandle.standardError.write(Data("ccc-client hook: blocked: \(failure.message)\n".utf8))
        return 2
    }

    /// Claude Code runs the tool when a hook outlives its own timeout, so the hook must never do
    /// so: the deadline inside ``ConduitHTTPClient`` ends every request in time, and this watchdog,
    /// on a thread of its own, ends the process (exit 2, blocked) shortly before `--timeout` if
    /// anything — a stalled connection, a stuck stdin — still holds it.
    static func exitAtTheLatest(afterSeconds timeout: Int) {
        let margin = min(0.2, Double(timeout) * 0.05)
        let thread = Thread {
            Thread.sleep(forTimeInterval: max(0, Double(timeout) - margin))
            FileHandle.standardError.write(
                Data("ccc-client hook: blocked: no decision within --timeout \(timeout) s\n".utf8))
            Foundation.exit(2)
        }
        thread.start()
    }

    private func ask(_ request: ToolUseRequest) async throws(HookFailure) -> ActionOutcome {
        let timeout = timeout
        do {
            return try await connection.withClient { client in
                try await client.outcome(of: request.body, timeout: timeout)
            }
        } catch {
            throw HookFailure("\(error)")
        }
    }
}
