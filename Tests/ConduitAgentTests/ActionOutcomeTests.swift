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

    @Test func aCompletedRunSaysWhoAcceptedItAndShowsItsOutput() {
        let outcome = ActionOutcome(
            response: Self.answer(
                200,
                [
                    "id": "r1", "action": "say", "status": "completed",
                    "decision": ["kind": "rule", "by": "rule 0 (auto-accept) of say"],
                    "result": ["exitCode": 0, "stdout": "hello\n", "stderr": ""],
                ]))
        #expect(outcome.succeeded)
        #expect(outcome.summary == "Completed say (request r1, accepted by rule 0 (auto-accept) of say).\nstdout:\nhello\n")
    }

    @Test func anApprovalNamesTheApproverAndTheirWords() {
        let outcome = ActionOutcome(
            response: Self.answer(
                200,
                [
                    "id": "r2", "action": "announce", "status": "completed", "reason": "go ahead",
                    "decision": ["kind": "person", "by": "alice", "approver": "alice"], "result": [:],
                ]))
        #expect(outcome.summary == "Completed announce (request r2, approved by alice: go ahead).")
    }

    @Test func aPersonsDenialKeepsTheirWordsVerbatim() {
        let outcome = ActionOutcome(
            response: Self.answer(
                200,
                [
                    "id": "r3", "action": "announce", "status": "denied", "reason": "denied by alice: Not now — 15:00.",
                    "decision": ["kind": "person", "by": "alice", "approver": "alice"],
                ]))
        #expect(outcome == .denied(reason: "denied by alice: Not now — 15:00.", approver: "alice"))
        #expect(!outcome.succeeded)
        #expect(outcome.summary == "Denied by alice: Not now — 15:00.")
    }

    @Test func aRuleDenialAtSubmissionIsADenial() {
        let outcome = ActionOutcome(
            response: Self.answer(
                403, ["id": "r4", "action": "x", "status": "denied", "reason": "denied by rule 1 (auto-deny) of x"]))
        #expect(outcome.summary == "Denied by rule 1 (auto-deny) of x")
    }

    @Test func failureExpiryAndCancellationAreNotSuccess() {
        let failed = ActionOutcome(
            response: Self.answer(
                200,
                [
                    "id": "r5", "action": "x", "status": "failed", "reason": "exited with 3",
                    "result": ["exitCode": 3, "stdout": "", "stderr": "boom"],
                ]))
        #expect(failed.summary == "Failed: exited with 3\nexit code 3\nstderr:\nboom")
        let expired = ActionOutcome(
            response: Self.answer(
                200, ["id": "r6", "action": "x", "status": "expired", "reason": "expired: nobody decided within 540 s"]))
        #expect(expired.summary == "Expired: nobody decided within 540 s")
        let canceled = ActionOutcome(
            response: Self.answer(200, ["id": "r7", "action": "x", "status": "canceled", "reason": "canceled by agent"]))
        #expect(canceled.summary == "Canceled by agent")
        #expect([failed, expired, canceled].allSatisfy { !$0.succeeded })
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
