import ConduitCore
import ConduitStore
import ConduitTestSupport
import Foundation
import Testing

@testable import ConduitServer

/// The parts of a run the end-to-end tests cannot pin down one by one.
@Suite("Run parts")
struct RunPartsTests {
    static let credential = RunCredentials.Credential(
        keyID: "run-r1-1", secret: "a-secret-that-is-long-enough-0123456789", scope: RunScope(run: "r1", attempt: 1),
        submitter: "agent")

    @Test func theRunnerGetsAScrubbedEnvironmentTheHooksVariablesAndTheMarker() {
        let broker = [
            "PATH": "/usr/bin", "HOME": "/home/me", "LANG": "C.UTF-8", "ANTHROPIC_API_KEY": "sk", "CLAUDE_CODE_USE_BEDROCK": "1",
            "AWS_SECRET_ACCESS_KEY": "secret", "CONDUIT_SECRETS": "/etc/conduit/secrets.json", "CCC_USER": "user", "SSH_AUTH_SOCK": "/tmp/s",
        ]
        let environment = AttemptFiles.environment(
            broker: broker, runner: ClaudeRunner(), run: "r1", credential: Self.credential, secretsFile: "/data/attempts/r1-1/secrets.json",
            brokerURL: "http://127.0.0.1:3015")
        #expect(environment == [
            "PATH": "/usr/bin", "HOME": "/home/me", "LANG": "C.UTF-8", "ANTHROPIC_API_KEY": "sk", "CLAUDE_CODE_USE_BEDROCK": "1",
            "CCC_SERVER": "http://127.0.0.1:3015", "CCC_SECRETS": "/data/attempts/r1-1/secrets.json", "CCC_USER": "run-r1-1",
            "CONDUIT_RUN": "r1",
        ])
    }

    @Test func theAttemptsFilesAreOwnerOnlyAndWireTheClientAsHookAndMCPServer() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let files = try AttemptFiles.write(credential: Self.credential, client: "/opt/it's here/ccc-client", in: directory.file("r1-1"))
        let attributes = try FileManager.default.attributesOfItem(atPath: files.secrets)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: files.directory)[.posixPermissions] as? Int) == 0o700)
        #expect(try SecretsFile.load(from: files.secrets)["run-r1-1"]?.secret == Self.credential.secret)
        let settings = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: files.settings))))
        let hook = settings["hooks"]?["PreToolUse"]?.arrayValue?.first?["hooks"]?.arrayValue?.first
        #expect(hook?["command"] == #"'/opt/it'\''s here/ccc-client' hook"#)
        #expect(hook?["timeout"] == 600)
        let mcp = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: files.mcpConfig))))
        #expect(mcp["mcpServers"]?["conduit"] == ["type": "stdio", "command": "/opt/it's here/ccc-client", "args": ["mcp"]])
        files.remove()
        #expect(!FileManager.default.fileExists(atPath: files.directory))
    }

    static func event(_ record: ActionRecord) -> BrokerEvent {
        BrokerEvent(id: 1, kind: record.status == .pending ? .queued : .decided, time: Date(), record: record)
    }

    static func toolUse(_ id: String, status: ActionStatus, command: String) -> ActionRecord {
        ActionRecord(
            id: id, action: "tool-use", submitter: "agent", params: ["tool": "Bash", "input": ["command": .string(command)]],
            status: status, created: Date(), decision: status == .pending ? nil : ActionDecision(kind: .person, by: "user", at: Date()),
            reason: status == .denied ? "denied by user: not now" : nil, run: "r1")
    }

    @Test func aRequestIsMatchedToTheRunnersCallAndTheAttemptWaitsWhileOneIsPending() {
        var calls = ToolCalls()
        _ = calls.change(for: .toolCall(id: "t1", tool: "Bash", input: ["command": "ls"]), attempt: 1)
        _ = calls.change(for: .toolCall(id: "t2", tool: "Bash", input: ["command": "make"]), attempt: 1)
        #expect(calls.observe(Self.event(Self.toolUse("q2", status: .pending, command: "make")), attempt: 1).waiting == true)
        #expect(calls.pending == ["q2"])
        let (changes, waiting) = calls.observe(Self.event(Self.toolUse("q2", status: .denied, command: "make")), attempt: 1)
        #expect(waiting == false && calls.pending.isEmpty)
        #expect(changes.map(\.kind) == [.toolDecision])
        #expect(changes.first?.data["tool_use_id"] == "t2" && changes.first?.data["request"] == "q2")
        #expect(changes.first?.data["outcome"] == "denied" && changes.first?.data["reason"] == "denied by user: not now")
        #expect(calls.observe(Self.event(Self.toolUse("q2", status: .denied, command: "make")), attempt: 1).changes.isEmpty, "once")
    }

    @Test func theRunnersOwnRefusalAndItsListingOfTheCatalogReadAsTheyAre() {
        var calls = ToolCalls()
        let refused = calls.change(for: .refusedByRunner(id: "t1", tool: "Bash", message: "needs approval"), attempt: 2)
        #expect(refused?.kind == .toolDecision && refused?.data["by"] == "runner" && refused?.data["outcome"] == "denied")
        let listing = ActionRecord(id: "l", action: "list-actions", submitter: "agent", params: [:], status: .completed, created: Date(), run: "r1")
        #expect(calls.observe(Self.event(listing), attempt: 2).changes.isEmpty, "the MCP server's listing is no tool call")
        let huge = JSONValue.object(["content": .string(String(repeating: "x", count: 20_000))])
        let call = calls.change(for: .toolCall(id: "t2", tool: "Write", input: huge), attempt: 2)
        #expect(call?.data["input"]?["truncated"] == true)
    }

    @Test func aRetryIsToldTheCheckItsExitCodeAndItsOutput() {
        let prompt = RunDriver.retryPrompt(
            RunCheck(name: "unit tests", run: ["make", "test"]), CheckResult(name: "unit tests", exitCode: 2, passed: false, output: "1 failed"))
        #expect(prompt.contains(#"The check "unit tests" (make test) failed"#) && prompt.contains("exit code 2") && prompt.contains("1 failed"))
    }

    @Test func aCheckPastItsTimeoutIsKilledAndKeepsTheTailOfItsOutput() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let run = "test-\(UUID().uuidString.lowercased())"
        let environment = ["PATH": "/usr/bin:/bin", RunProcesses.markerName: run]
        let slow = await CheckExecution.run(
            RunCheck(name: "slow", run: ["/bin/sh", "-c", "echo started; exec sleep 60"], timeout: 1), in: directory.path, run: run,
            environment: environment)
        #expect(!slow.passed && slow.exitCode == -1 && slow.output.hasPrefix("started") && slow.output.contains("killed after 1 s"))
        #expect(RunProcesses.find(run: run).isEmpty)
        let chatty = await CheckExecution.run(
            RunCheck(name: "chatty", run: ["/bin/sh", "-c", "seq 1 100000; echo the end >&2; exit 3"]), in: directory.path, run: run,
            environment: environment)
        #expect(chatty.exitCode == 3 && chatty.output.hasPrefix("[…]") && chatty.output.hasSuffix("the end\n"))
        #expect(chatty.output.utf8.count <= CheckExecution.outputTail + 5)
    }

    @Test(arguments: [
        ("127.0.0.1", "http://127.0.0.1:3015"), ("0.0.0.0", "http://127.0.0.1:3015"), ("::", "http://[::1]:3015"),
        ("::1", "http://[::1]:3015"), ("172.17.0.1", "http://172.17.0.1:3015"),
    ])
    func theRunnersReachTheBrokerOnItsOwnAddressOrLoopback(host: String, url: String) {
        #expect(RunSupervisor.loopbackURL(host: host, port: 3015) == url)
    }
}
