import ArgumentParser
import ConduitMCP
import ConduitClient
import ConduitCommandLine
import ConduitCore
import Foundation
import Logging

/// `ccc-mcp`, which `ccc-client mcp` runs: the broker's actions as MCP tools on stdio (see
/// ``ConduitMCPServer``). A program of its own so that `ccc-client` does not link the MCP SDK (and
/// with it FoundationNetworking and libcurl), which every `ccc-client hook` would load.
@main
struct MCPServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ccc-client mcp",
        abstract: "Serve the broker's actions to Claude Code as MCP tools (stdio), plus permission_prompt.",
        discussion: """
            Register it with Claude Code, e.g.
              claude mcp add conduit -- ccc-client mcp
            and, to let the broker answer Claude Code's permission prompts in a headless run
            (Claude Code honours --permission-prompt-tool only with -p/--print; interactive
            sessions are gated by `ccc-client hook`),
              claude -p "…" --permission-prompt-tool mcp__conduit__permission_prompt
            Standard output carries MCP messages only; logs go to standard error.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Seconds a tool call waits for a queued request's outcome before withdrawing it.")
    var timeout = 300

    @Option(help: "Seconds between progress notifications while a person decides.")
    var progressInterval = 15

    @Option(help: "Log level on standard error: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        throw ExitCode(await serve())
    }

    /// Parses, serves, and exits with the documented code (usage errors: 2, as `ccc-client`'s).
    static func main() async {
        do {
            let command = try parseAsRoot()
            guard let server = command as? MCPServerCommand else {
                var other = command
                try other.run()
                Foundation.exit(0)
            }
            Foundation.exit(await server.serve())
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data("ccc-client mcp: \(fullMessage(for: error))\n".utf8))
            Foundation.exit(2)
        }
    }

    /// Serves until standard input closes: 0, or 2 when the options or secrets are unusable.
    func serve() async -> Int32 {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "ccc-client.mcp")
        guard timeout >= 0, progressInterval >= 1 else {
            logger.error("--timeout cannot be negative and --progress-interval must be at least 1")
            return 2
        }
        do {
            try await connection.withClient { client in
                logger.info("serving \(client.serverURL.absoluteString) as \(client.credentials.user) over MCP stdio")
                try await ConduitMCPServer(
                    client: client, timeout: timeout, progressInterval: progressInterval,
                    version: ConduitVersion.current, logger: logger
                ).run()
            }
            return 0
        } catch {
            logger.error("\(error)")
            return 2
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
