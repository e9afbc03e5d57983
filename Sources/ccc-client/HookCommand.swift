import ArgumentParser
import ConduitAgent
import ConduitClient
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
        let input = FileHandle.standardInput.readDataToEndOfFile()
        do throws(HookFailure) {
            guard timeout >= 0 else { throw HookFailure("--timeout cannot be negative") }
            let request = try PreToolUseHook.request(fromInput: Array(input))
            let outcome = try await ask(request)
            let output = try PreToolUseHook.output(for: outcome)
            print(output.compactText)
            return 0
        } catch {
            FileHandle.standardError.write(Data("ccc-client hook: blocked: \(error.message)\n".utf8))
            return 2
        }
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
