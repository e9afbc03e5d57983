import ConduitCore
import ConduitStore
import Foundation
import Testing

@Suite("Durable record store")
struct ActionRecordStoreTests {
    static func record(_ id: String, _ status: ActionStatus) -> ActionRecord {
        ActionRecord(
            id: id, action: "edit-file", submitter: "agent", params: ["filename": "/workspace/a.txt", "line": 3],
            status: status, created: Date(timeIntervalSince1970: 1_800_000_000.25), decidedBy: "policy auto-accept of edit-file",
            decided: Date(timeIntervalSince1970: 1_800_000_001), reason: nil,
            result: ["exitCode": 0, "stdout": "ok\n", "stderr": ""], finished: Date(timeIntervalSince1970: 1_800_000_002))
    }

    @Test func aSavedRecordReadsBackExactly() async throws {
        let store = ActionRecordStore(database: try ConduitDatabase.inMemory())
        let record = Self.record("r1", .completed)
        try await store.save(record)
        #expect(try await store.record(id: "r1") == record)
        #expect(try await store.record(id: "nope") == nil)
    }

    @Test func savingAgainUpdatesInPlace() async throws {
        let store = ActionRecordStore(database: try ConduitDatabase.inMemory())
        var record = Self.record("r1", .pending)
        try await store.save(record)
        record.status = .denied
        record.reason = "no"
        try await store.save(record)
        #expect(try await store.record(id: "r1")?.status == .denied)
        #expect(try await store.count() == 1)
    }

    @Test func recordsSurviveReopeningTheFileAndInterruptedOnesFail() async throws {
        let directory = NSTemporaryDirectory() + "/conduit-store-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/state/conduit.sqlite"
        do {
            let store = ActionRecordStore(database: try ConduitDatabase.open(path: path))
            try await store.save(Self.record("pending", .pending))
            try await store.save(Self.record("running", .running))
            try await store.save(Self.record("done", .completed))
        }
        let reopened = ActionRecordStore(database: try ConduitDatabase.open(path: path))
        #expect(try await reopened.failInterruptedRequests() == 1)
        #expect(try await reopened.record(id: "pending")?.status == .pending)
        #expect(try await reopened.record(id: "done")?.status == .completed)
        let interrupted = try #require(try await reopened.record(id: "running"))
        #expect(interrupted.status == .failed)
        #expect(interrupted.reason?.contains("interrupted") == true)
        var info = stat()
        stat(directory + "/state", &info)
        #expect(info.st_mode & 0o777 == 0o700)
    }
}
