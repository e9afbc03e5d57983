import ConduitCore
import Foundation
import Testing

/// Read against streams the real Claude Code 2.1.332 wrote (`Fixtures/`, recorded with the
/// scripted model of tests/interop): a Write, a Bash call Claude Code refused itself, a final text;
/// and a run stopped by `--max-turns 1`.
@Suite("Claude Code as a runner")
struct ClaudeRunnerTests {
    let runner = ClaudeRunner()

    func outputs(of fixture: String) throws -> [RunnerOutput] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(fixture)")
        return try String(contentsOf: file, encoding: .utf8).split(separator: "\n").flatMap { runner.parse(line: String($0)) }
    }

    @Test func aRecordedStreamReadsAsSessionCallsResultsAndTheEnd() throws {
        let read = try outputs(of: "claude-stream-success.jsonl")
        #expect(read.first == .session("379517c6-6d67-4ce5-a478-b7f69a87c53e"))
        #expect(read.contains(.toolCall(id: "toolu_0001", tool: "Write", input: ["file_path": "/tmp/cap/proj/hello.txt", "content": "hi\n"])))
        #expect(read.contains(.toolCall(id: "toolu_0002", tool: "Bash", input: ["command": "rm -rf /tmp/cap/proj/nothing", "description": "remove"])))
        #expect(read.contains { if case .refusedByRunner(id: "toolu_0002", tool: "Bash", _) = $0 { true } else { false } })
        #expect(read.contains { if case .toolResult(id: "toolu_0001", isError: false, let text) = $0 { text.contains("hello.txt") } else { false } })
        #expect(read.contains { if case .toolResult(id: "toolu_0002", isError: true, _) = $0 { true } else { false } })
        #expect(read.contains(.message("All done.")))
        #expect(read.last == .finished(RunnerResult(
            isError: false, ending: "success", text: "All done.", turns: 3, costUSD: 0.00042,
            session: "379517c6-6d67-4ce5-a478-b7f69a87c53e")))
    }

    @Test func aTurnLimitEndsAsAnError() throws {
        guard case .finished(let result)? = try outputs(of: "claude-stream-max-turns.jsonl").last else {
            Issue.record("no result line")
            return
        }
        #expect(result.isError)
        #expect(result.ending == "error_max_turns")
        #expect(result.text == "Reached maximum number of turns (1)")
    }

    @Test func linesItDoesNotKnowSayNothing() {
        #expect(runner.parse(line: "not json").isEmpty)
        #expect(runner.parse(line: "{\"type\":\"stream_event\"}").isEmpty)
        #expect(runner.parse(line: "[1,2]").isEmpty)
    }

    @Test func thePromptIsNeverAnArgumentAndNoBypassIsAsked() {
        let arguments = runner.arguments(for: RunnerInvocation(
            model: "sonnet", maxTurns: 3, maxBudgetUSD: 1.5, resume: "s-1", settingsFile: "/c/settings.json",
            mcpConfigFile: "/c/mcp.json"))
        #expect(arguments == [
            "-p", "--output-format", "stream-json", "--verbose", "--settings", "/c/settings.json", "--strict-mcp-config",
            "--mcp-config", "/c/mcp.json", "--model", "sonnet", "--max-turns", "3", "--max-budget-usd", "1.5",
            "--resume", "s-1",
        ])
        #expect(!arguments.contains { $0.contains("dangerously") || $0.contains("permission-mode") })
    }

    @Test func onlyItsOwnVariablesPassFromTheBroker() {
        #expect(runner.passesEnvironment("ANTHROPIC_BASE_URL"))
        #expect(runner.passesEnvironment("CLAUDE_CODE_USE_BEDROCK"))
        #expect(!runner.passesEnvironment("AWS_SECRET_ACCESS_KEY"))
        #expect(!runner.passesEnvironment("CCC_SECRETS"))
    }
}
