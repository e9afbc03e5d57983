import ConduitCore
import ConduitStore
import ConduitTestSupport
import Foundation
import Testing

/// The SQLite store: durable writes, exactly-once transitions, events and grants.
@Suite("ConduitStore")
struct ConduitStoreTests {
    static func record(_ id: String, status: ActionStatus = .pending, expiresIn seconds: TimeInterval = 900) -> ActionRecord {
        let now = Date()
        return ActionRecord(
            id: id, action: "ask", description: "Asks.", submitter: "agent", params: ["file": "/workspace/a"],
            status: status, created: now, expires: status == .pending ? now.addingTimeInterval(seconds) : nil)
    }

    static func temporaryDatabasePath() -> String {
        TemporaryDirectory(prefix: "conduit-store").file("conduit.sqlite")
    }

    @Test func aRecordReadsBackExactlyAsSaved() async throws {
        let store = try ConduitStore.inMemory()
        var record = Self.record("one")
        record.decision = ActionDecision(kind: .person, by: "user", approver: "user", at: Date(timeIntervalSince1970: 1000.5))
        record.result = ["exitCode": 0, "stdout": "é\n"]
        try await store.save(record)
        let read = try #require(try await store.record(id: "one"))
        #expect(read.json == record.json)
    }

    @Test func concurrentWritesAreAllCommittedAndTheirEventsComeInIdOrder() async throws {
        let store = try ConduitStore.inMemory()
        let seen = Collected()
        let subscription = store.events.subscribe { seen.append($0.event.id) }
        defer { subscription.cancel() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<500 {
                group.addTask { try await store.save(Self.record("r\(index)"), events: [.queued]) }
            }
            try await group.waitForAll()
        }
        #expect(try await store.count() == 500)
        await store.events.delivered()
        #expect(seen.values == seen.values.sorted())
        #expect(seen.values.count == 500)
        #expect(try await store.events(after: 0).count == 500)
    }

    @Test func ofTwoConcurrentTransitionsFromPendingExactlyOneApplies() async throws {
        let store = try ConduitStore.inMemory()
        for round in 0..<50 {
            try await store.save(Self.record("race\(round)"))
            async let first = store.transition(id: "race\(round)", from: .pending, events: [.decided]) { $0.status = .running }
            async let second = store.transition(id: "race\(round)", from: .pending, events: [.decided]) { $0.status = .denied }
            let outcomes = try await [first, second]
            let applied = outcomes.filter { if case .applied = $0 { true } else { false } }
            #expect(applied.count == 1)
        }
    }

    @Test func aPendingRecordPastItsDeadlineCannotTransitionAndIsExpiredBySweeping() async throws {
        let store = try ConduitStore.inMemory()
        try await store.save(Self.record("late", expiresIn: -1))
        try await store.save(Self.record("early", expiresIn: 60))
        let refused = try await store.transition(id: "late", from: .pending, events: []) { $0.status = .running }
        #expect(refused == .unchanged(try await store.record(id: "late")))
        let expired = try await store.expirePending()
        #expect(expired.map(\.id) == ["late"])
        #expect(try await store.record(id: "late")?.status == .expired)
        #expect(try await store.record(id: "late")?.reason?.hasPrefix("expired") == true)
        #expect(try await store.record(id: "early")?.status == .pending)
        #expect(try #require(try await store.nextExpiry()) > Date())
    }

    @Test func recordsEventsAndGrantsSurviveReopeningAndRunningOnesFailAtStart() async throws {
        let path = Self.temporaryDatabasePath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        do {
            let store = ConduitStore(database: try .open(path: path))
            try await store.save(Self.record("waiting"), events: [.queued])
            try await store.save(Self.record("working", status: .running), events: [.started])
            try await store.insertGrant(
                Grant(
                    id: "g1", approver: "user", submitter: "agent", action: "ask", params: ["file": "/workspace/a"],
                    created: Date(), expires: Date().addingTimeInterval(60), sourceRequest: "waiting"))
        }
        let reopened = ConduitStore(database: try .open(path: path))
        #expect(try await reopened.failInterruptedRequests() == 1)
        #expect(try await reopened.record(id: "working")?.status == .failed)
        #expect(try await reopened.record(id: "working")?.reason?.contains("interrupted") == true)
        #expect(try await reopened.pendingPage(submittedBy: ["agent"], limit: 100).records.map(\.id) == ["waiting"])
        #expect(try await reopened.events(after: 0).map(\.kind) == [.queued, .started, .finished])
        #expect(try await reopened.activeGrants(submitter: "agent", action: "ask", params: ["file": "/workspace/a"]).map(\.id) == ["g1"])
        #expect(try await reopened.activeGrants(submitter: "agent", action: "ask", params: ["file": "/workspace/b"]).isEmpty)
        #expect(try await reopened.revokeGrant(id: "g1", by: "user")?.revoked != nil)
        #expect(try await reopened.activeGrants().isEmpty)
    }

    @Test func anInterruptedRequestSaysWhetherItsCommandMayHaveRun() async throws {
        let store = try ConduitStore.inMemory()
        var started = Self.record("started", status: .running)
        started.started = Date(timeIntervalSince1970: 1_800_000_000)
        try await store.save(started, events: [.started])
        try await store.save(Self.record("accepted", status: .running), events: [.decided])
        #expect(try await store.failInterruptedRequests() == 2)
        let ran = try #require(try await store.record(id: "started")?.reason)
        #expect(ran.contains("while its command ran (started at 2027-01-15T08:00:00.000Z)"), "\(ran)")
        #expect(ran.contains("may have run"))
        let notRun = try #require(try await store.record(id: "accepted")?.reason)
        #expect(notRun.contains("before its command started; it did not run"), "\(notRun)")
        #expect(try await store.record(id: "started")?.started == started.started, "the start is stored")
    }

    @Test func pruningKeepsTheNewestThousandAndEverythingFromTheLastDay() async throws {
        let store = try ConduitStore.inMemory()
        for index in 0..<1_200 { try await store.save(Self.record("e\(index)"), events: [.queued]) }
        #expect(try await store.pruneEvents(olderThan: 24 * 3600) == 0, "all are recent")
        #expect(try await store.pruneEvents(olderThan: 0, keep: 1_000, now: Date().addingTimeInterval(1)) == 200)
        let left = try await store.events(after: 0)
        #expect(left.count == 1_000)
        #expect(left.first?.id == 201)
    }

    @Test func theDatabaseFileIsInWALModeAndItsDirectoryIsPrivate() async throws {
        let path = Self.temporaryDatabasePath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let store = ConduitStore(database: try .open(path: path))
        try await store.save(Self.record("x"))
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        let attributes = try FileManager.default.attributesOfItem(atPath: (path as NSString).deletingLastPathComponent)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
    }
}

/// Values appended from any thread.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Int64] = []

    func append(_ value: Int64) { lock.withLock { storage.append(value) } }
    var values: [Int64] { lock.withLock { storage } }
}
