import ConduitCore
import Foundation
import Testing

@Suite("Run records")
struct RunRecordTests {
    let at = Date(timeIntervalSince1970: 1_800_000_000.25)

    @Test func aRecordWithAttemptsAndChecksReadsBackAsItWasWritten() throws {
        let attempt = RunAttempt(
            number: 1, status: .failed, branch: "conduit/r1", prompt: "fix it", session: "s", turns: 4, costUSD: 0.5,
            checks: [CheckResult(name: "unit tests", exitCode: 2, passed: false, output: "1 failed")],
            diffStat: " a | 1 +\n", reason: "check unit tests failed", started: at, finished: at)
        let record = RunRecord(
            id: "r1", group: "g1", policy: "fix-bug", project: "demo", prompt: "fix it", submitter: "agent",
            status: .failed, created: at, started: at, finished: at, reason: "check unit tests failed", result: "done",
            request: "q1", attempts: [attempt])
        #expect(RunRecord(json: record.json) == record)
        #expect(record.json["branch"] == "conduit/r1")
        #expect(record.json["attempts"]?.arrayValue?.first?["cost_usd"] == .number(0.5))
        #expect(record.json["attempts"]?.arrayValue?.first?["checks"]?.arrayValue?.first?["exitCode"] == 2)
        let decoded = try JSONDecoder().decode(RunRecord.self, from: try JSONEncoder().encode(record))
        #expect(decoded == record)
    }

    @Test func eventsReadBackAsTheyWereWritten() {
        let event = RunEvent(id: 7, run: "r1", kind: .toolCall, time: at, data: ["tool": "Bash", "input": ["command": "ls"]])
        #expect(RunEvent(json: event.json) == event)
        #expect(event.json["type"] == "tool.call")
    }

    @Test func finalAndActiveStatusesAreTheIssuesOwn() {
        #expect(RunStatus.allCases.filter(\.isFinal) == [.succeeded, .failed, .cancelled, .denied, .expired])
        #expect(RunStatus.allCases.filter(\.isActive) == [.running, .waiting, .checking])
        #expect(AttemptStatus.allCases.filter(\.isFinal) == [.succeeded, .failed, .cancelled])
    }
}
