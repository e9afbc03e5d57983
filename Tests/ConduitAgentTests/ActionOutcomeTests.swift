import ConduitAgent
import ConduitClient
import ConduitCore
import Testing

/// Reading the broker's answers into outcomes, and the words an agent gets back.
@Suite("Action outcomes")
struct ActionOutcomeTests {
    static func answer(_ status: Int, _ json: JSONValue) -> ConduitResponse {
        ConduitResponse(status: status, body: Array(json.serialized()), verified: true)
    }

    /// An answer of the broker and the words an agent gets for it.
    struct Reading: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let status: Int
        let answer: JSONValue
        let summary: String
        let succeeded: Bool
    }

    static let readings: [Reading] = [
        Reading(
            testDescription: "a completed run says who accepted it and shows its output", status: 200,
            answer: [
                "id": "r1", "action": "say", "status": "completed", "decision": ["kind": "rule", "by": "rule 0 (auto-accept) of say"],
                "result": ["exitCode": 0, "stdout": "hello\n", "stderr": ""],
            ],
            summary: "Completed say (request r1, accepted by rule 0 (auto-accept) of say).\nstdout:\nhello\n", succeeded: true),
        Reading(
            testDescription: "an approval names the approver and their words", status: 200,
            answer: [
                "id": "r2", "action": "announce", "status": "completed", "reason": "go ahead",
                "decision": ["kind": "person", "by": "alice", "approver": "alice"], "result": [:],
            ],
            summary: "Completed announce (request r2, approved by alice: go ahead).", succeeded: true),
        Reading(
            testDescription: "a person's denial keeps their words verbatim", status: 200,
            answer: [
                "id": "r3", "action": "announce", "status": "denied", "reason": "denied by alice: Not now — 15:00.",
                "decision": ["kind": "person", "by": "alice", "approver": "alice"],
            ],
            summary: "Denied by alice: Not now — 15:00.", succeeded: false),
        Reading(
            testDescription: "a rule's denial at submission is a denial", status: 403,
            answer: ["id": "r4", "action": "x", "status": "denied", "reason": "denied by rule 1 (auto-deny) of x"],
            summary: "Denied by rule 1 (auto-deny) of x", succeeded: false),
        Reading(
            testDescription: "a failure shows the exit code and stderr", status: 200,
            answer: [
                "id": "r5", "action": "x", "status": "failed", "reason": "exited with 3",
                "result": ["exitCode": 3, "stdout": "", "stderr": "boom"],
            ],
            summary: "Failed: exited with 3\nexit code 3\nstderr:\nboom", succeeded: false),
        Reading(
            testDescription: "an expiry", status: 200,
            answer: ["id": "r6", "action": "x", "status": "expired", "reason": "expired: nobody decided within 540 s"],
            summary: "Expired: nobody decided within 540 s", succeeded: false),
        Reading(
            testDescription: "a cancellation", status: 200,
            answer: ["id": "r7", "action": "x", "status": "canceled", "reason": "canceled by agent"],
            summary: "Canceled by agent", succeeded: false),
    ]

    @Test(arguments: readings)
    func eachAnswerReadsAsTheWordsAnAgentGets(_ reading: Reading) {
        let outcome = ActionOutcome(response: Self.answer(reading.status, reading.answer))
        #expect(outcome.summary == reading.summary)
        #expect(outcome.succeeded == reading.succeeded)
    }

    @Test func aPersonsDenialNamesTheApprover() throws {
        let denial = try #require(Self.readings.first { $0.answer["status"] == "denied" && $0.answer["decision"] != nil })
        let outcome = ActionOutcome(response: Self.answer(denial.status, denial.answer))
        #expect(outcome == .denied(reason: "denied by alice: Not now — 15:00.", approver: "alice"))
    }

    @Test func stillPendingAndRefusalsAreTheirOwnOutcomes() {
        #expect(ActionOutcome(response: Self.answer(202, ["id": "r8", "status": "pending"])) == .stillPending(id: "r8"))
        #expect(ActionOutcome(response: Self.answer(200, ["id": "r8", "status": "running"])) == .stillPending(id: "r8"))
        let refused = ActionOutcome(
            response: Self.answer(400, ["error": ["code": "path_outside_volumes", "message": "\"filename\": outside"]]))
        #expect(refused == .refused(status: 400, message: "\"filename\": outside"))
        #expect(refused.summary == "Refused by the broker (400): \"filename\": outside")
    }
}
