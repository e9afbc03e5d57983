import ConduitCore
import ConduitStore
import ConduitTestSupport
import Foundation
import Synchronization
import Testing

/// Runs, their attempts and their events in SQLite (issue 17).
@Suite("Runs in the store")
struct RunStoreTests {
    static let at = Date(timeIntervalSince1970: 1_800_000_000.5)

    static func run(_ id: String, group: String = "g", submitter: String = "agent", status: RunStatus = .queued, created: Date = at)
        -> RunRecord
    {
        RunRecord(
            id: id, group: group, policy: "fix-bug", project: "demo", prompt: "fix it", submitter: submitter, status: status,
            created: created)
    }

    @Test func aRunWithItsAttemptsSurvivesReopeningTheFile() async throws {
        let path = TemporaryDirectory(prefix: "conduit-runs").file("conduit.sqlite")
        var run = Self.run("r1", status: .failed)
        run.attempts = [
            RunAttempt(
                number: 1, status: .failed, branch: "conduit/r1", prompt: "fix it", session: "s1", turns: 3, costUSD: 0.25,
                checks: [CheckResult(name: "unit tests", exitCode: 1, passed: false, output: "FAIL")], diffStat: " a | 1 +",
                reason: "check unit tests failed", started: Self.at, finished: Self.at)
        ]
        run.reason = "check unit tests failed"
        do {
            let store = ConduitStore(database: try .open(path: path))
            try await store.save(run, changes: [.init(.runFinished, ["run": run.json])])
        }
        let reopened = ConduitStore(database: try .open(path: path))
        #expect(try await reopened.run(id: "r1") == run)
        let events = try await reopened.runEvents(of: "r1")
        #expect(events.map(\.kind) == [.runFinished])
        #expect(events.first?.data["run"].flatMap(RunRecord.init(json:)) == run)
    }

    @Test func eventsArePublishedAfterTheCommitToThatRunsListenersOnly() async throws {
        let store = try ConduitStore.inMemory()
        let seen = Mutex<[RunEvent]>([])
        let subscription = store.runEvents.subscribe(run: "r1") { event in seen.withLock { $0.append(event) } }
        let stored = try await store.save(Self.run("r1"), changes: [.init(.runStatus, ["status": "queued"]), .init(.message, ["text": "hi"])])
        try await store.save(Self.run("r2"), changes: [.init(.runStatus, ["status": "queued"])])
        #expect(seen.withLock { $0 } == stored)
        #expect(stored.map(\.id) == stored.map(\.id).sorted())
        subscription.cancel()
        #expect(store.runEvents.listenerCount == 0)
        // Read back: the same event (its time to the millisecond, as the wire format has it).
        let later = try await store.runEvents(of: "r1", after: stored[0].id)
        #expect(later.map(\.id) == [stored[1].id] && later.map(\.data) == [stored[1].data])
        #expect(later.map(\.json) == [stored[1].json])
    }

    @Test func pagesAreNewestFirstForTheGivenSubmittersAndFilterByGroupAndStatus() async throws {
        let store = try ConduitStore.inMemory()
        for index in 0..<5 {
            try await store.save(Self.run(
                "r\(index)", group: index < 3 ? "a" : "b", status: index == 4 ? .succeeded : .queued,
                created: Self.at.addingTimeInterval(Double(index))))
        }
        try await store.save(Self.run("other", submitter: "mallory"))
        let first = try await store.runPage(submittedBy: ["agent"], limit: 2)
        #expect(first.runs.map(\.id) == ["r4", "r3"])
        let second = try await store.runPage(submittedBy: ["agent"], after: first.nextCursor, limit: 2)
        #expect(second.runs.map(\.id) == ["r2", "r1"])
        let last = try await store.runPage(submittedBy: ["agent"], after: second.nextCursor, limit: 2)
        #expect(last.runs.map(\.id) == ["r0"] && last.nextCursor == nil)
        #expect(try await store.runPage(submittedBy: ["agent"], group: "a", limit: 10).runs.map(\.id) == ["r2", "r1", "r0"])
        #expect(try await store.runPage(submittedBy: ["agent"], status: .succeeded, limit: 10).runs.map(\.id) == ["r4"])
        #expect(try await store.runPage(submittedBy: [], limit: 10).runs.isEmpty)
        await #expect(throws: RunPage.UnknownCursor(cursor: "nope")) {
            try await store.runPage(submittedBy: ["agent"], after: "nope", limit: 2)
        }
    }

    @Test func runsAreFoundByStatusAndByTheRequestHoldingTheirStart() async throws {
        let store = try ConduitStore.inMemory()
        var held = Self.run("held", status: .pending)
        held.request = "q1"
        try await store.save([held, Self.run("busy", status: .running), Self.run("done", status: .succeeded)])
        #expect(try await store.runs(in: [.running, .waiting, .checking]).map(\.id) == ["busy"])
        #expect(try await store.runs(awaitingRequest: "q1").map(\.id) == ["held"])
    }

    @Test func aRunChangeIsAuditedInTheSameChain() async throws {
        let store = try ConduitStore.inMemory()
        let entry = AuditEntry(
            timeMilliseconds: 1, event: "run.started", user: "agent", requestID: "r1", outcome: "running", detail: ["policy": "fix-bug"])
        try await store.save(Self.run("r1", status: .running), audit: [entry])
        #expect(try await store.auditEntries().map(\.event) == ["run.started"])
        #expect(try await store.verifyAudit() == 1)
    }
}
