import ConduitTestSupport
import Foundation
import Testing

/// What `--help` tells a newcomer, through the real binaries.
@Suite("Help texts (real binaries)")
struct HelpTextTests {
    static func help(_ program: String, _ arguments: [String] = []) throws -> String {
        let result = try Command.run(Binaries.path(program), arguments + ["--help"], in: NSTemporaryDirectory())
        #expect(result.exitCode == 0, "\(result)")
        // ArgumentParser wraps lines; compare words, not line breaks.
        return result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test func ccc_serverSaysWhereTheBrokersFlagsAre() throws {
        let text = try Self.help("ccc-server")
        #expect(text.contains("listed by `ccc-server serve --help`"), "\(text)")
        #expect(try Self.help("ccc-server", ["serve"]).contains("--secrets"))
    }

    @Test func ccc_queueListsEveryKey() throws {
        let text = try Self.help("ccc-queue")
        for key in ["y approve", "n deny", "a approve and remember", "v or Enter", "h history", "f filter by action",
                    "g remembered approvals", "x revoke", "r refresh", "q quit"] {
            #expect(text.contains(key), "\(key) in \(text)")
        }
    }

    @Test func thePermissionPromptToolIsOfferedForPrintModeOnly() throws {
        let text = try Self.help("ccc-client", ["mcp"])
        #expect(text.contains("only with -p/--print"), "\(text)")
        #expect(text.contains("claude -p"), "\(text)")
    }

    @Test func ccc_clientMcpSaysWhatIsMissingWithoutCcc_mcpBesideIt() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.copyItem(atPath: Binaries.path("ccc-client"), toPath: directory.file("ccc-client"))
        let result = try Command.run(directory.file("ccc-client"), ["mcp"], in: directory.path, environment: ["PATH": "/usr/bin:/bin"])
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.stderr.contains("cannot run ccc-mcp (looked at \(directory.file("ccc-mcp")) or on PATH)"), "\(result)")
    }

    /// The hook starts once per tool call: `ccc-client` must not carry the MCP SDK (and with it
    /// FoundationNetworking and libcurl); `ccc-mcp` does (docs/DESIGN.md "Benchmark", session 9).
    @Test func ccc_clientCarriesNoMCPAndCcc_mcpDoes() throws {
        func mcpSymbols(_ program: String) throws -> Int {
            let listed = try Command.run("/usr/bin/nm", [Binaries.path(program)], in: NSTemporaryDirectory())
            return listed.stdout.split(separator: "\n").count { $0.contains("s3MCP") }
        }
        #expect(try mcpSymbols("ccc-client") == 0)
        #expect(try mcpSymbols("ccc-mcp") > 0)
    }
}
