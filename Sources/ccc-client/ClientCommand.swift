import ArgumentParser
import Foundation

/// `ccc-client`: the container side of Conduit. By default it sends one signed action request
/// (``SendCommand``); `mcp` serves the actions to Claude Code, `hook` gates Claude Code's tool calls.
@main
struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ccc-client",
        abstract: "Send signed action requests to a Conduit broker, or serve them to Claude Code.",
        usage: """
            ccc-client [send] [<options>] '<json>'
            ccc-client mcp [<options>]     (an MCP server on stdio, for Claude Code)
            ccc-client hook [<options>]    (a PreToolUse hook, for Claude Code)
            ccc-client grants [revoke <id>] [<options>]   (remembered approvals)
            ccc-client run --policy NAME --project NAME [--fanout N] [--no-wait] PROMPT…   (a supervised agent run)
            ccc-client runs [--group G] [--status S]   (supervised runs)
            """,
        subcommands: [SendCommand.self, MCPCommand.self, HookCommand.self, GrantsCommand.self, RunCommand.self, RunsCommand.self],
        defaultSubcommand: SendCommand.self)

    /// Parses, runs, and exits with the documented code (usage errors: 2, not ArgumentParser's 64,
    /// which also makes a mistyped `hook` command fail closed).
    static func main() async {
        let command: any ParsableCommand
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "mcp" { Foundation.exit(MCPCommand.becomeServer(arguments: Array(arguments.dropFirst()))) }
        do {
            if let hook = try parseHookDirectly() { Foundation.exit(await hook.decide()) }
            command = try parseAsRoot()
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data("ccc-client: \(fullMessage(for: error))\n".utf8))
            Foundation.exit(2)
        }
        switch command {
        case let send as SendCommand: Foundation.exit(await send.send())
        case let hook as HookCommand: Foundation.exit(await hook.decide())
        case let list as GrantsCommand.List: Foundation.exit(await list.execute())
        case let revoke as GrantsCommand.Revoke: Foundation.exit(await revoke.execute())
        case let run as RunCommand: Foundation.exit(await run.start())
        case let runs as RunsCommand: Foundation.exit(await runs.execute())
        default:
            // ArgumentParser's own commands (`help`).
            var other = command
            do {
                try other.run()
                Foundation.exit(0)
            } catch {
                exit(withError: error)
            }
        }
    }

    /// `ccc-client hook …` without help: only the hook's own options are parsed. Claude Code starts
    /// a new process for every tool call, and building the whole command tree (every subcommand's
    /// options, by reflection) was a sixth of the hook's start-up (docs/DESIGN.md "Benchmark").
    /// Errors read as the full parse's would: `HookCommand` has its own messages.
    static func parseHookDirectly() throws -> HookCommand? {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.first == "hook", !arguments.contains(where: { ["-h", "--help", "help"].contains($0) }) else {
            return nil
        }
        do {
            return try HookCommand.parse(Array(arguments.dropFirst()))
        } catch {
            // The full parse says it with the command's whole name (and exits 2 as usual).
            _ = try parseAsRoot()
            throw error
        }
    }
}
