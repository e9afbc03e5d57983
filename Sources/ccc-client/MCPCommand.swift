import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ccc-client mcp …` runs `ccc-mcp …` (the MCP server, see its `--help`), found beside this
/// executable, else on `PATH`. The MCP SDK links FoundationNetworking, and with it libcurl and
/// some thirty libraries the dynamic loader would map and resolve for every `ccc-client hook` —
/// the hook runs once per tool call, the MCP server once per session (docs/DESIGN.md "Benchmark").
struct MCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the broker's actions to Claude Code as MCP tools (stdio), plus permission_prompt.",
        discussion: "Runs ccc-mcp, which ships beside ccc-client; `ccc-client mcp --help` lists its options.")

    /// Everything after `mcp`, for `ccc-mcp`.
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []

    /// The program `ccc-client mcp` becomes.
    static let serverProgram = "ccc-mcp"

    /// Replaces this process with `ccc-mcp ARGUMENTS` (standard input and output stay the MCP
    /// channel); returns only if that fails, with the exit code after saying why.
    static func becomeServer(arguments: [String]) -> Int32 {
        var candidates: [String] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent(serverProgram).path)
        }
        let argv = [serverProgram] + arguments
        for candidate in candidates where access(candidate, X_OK) == 0 {
            execute(candidate, argv, searchingPath: false)
        }
        execute(serverProgram, argv, searchingPath: true)
        let beside = candidates.first.map { "at \($0) or " } ?? ""
        FileHandle.standardError.write(Data(
            "ccc-client mcp: cannot run \(serverProgram) (looked \(beside)on PATH): \(String(cString: strerror(errno))); install it beside ccc-client\n".utf8))
        return 2
    }

    private static func execute(_ program: String, _ argv: [String], searchingPath: Bool) {
        var pointers = argv.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        _ = searchingPath ? execvp(program, &pointers) : execv(program, &pointers)
    }
}
