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
}
