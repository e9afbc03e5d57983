import ConduitCore
import Foundation
import GRDB
import Testing

@testable import ConduitStore

/// The audit log: one entry per stored event, chained by hashes, append-only, verifiable.
@Suite("Audit log")
struct AuditLogTests {
    static func filledStore() async throws -> ConduitStore {
        let store = try ConduitStore.inMemory()
        var record = ConduitStoreTests.record("r1")
        try await store.save(record, events: [.queued])
        record.status = .denied
        record.decision = ActionDecision(kind: .person, by: "user", approver: "user", at: Date())
        record.reason = "denied by user: no"
        try await store.save(record, events: [.decided])
        try await store.audit(
            AuditEntry(
                timeMilliseconds: 1_800_000_000_000, event: "request.refused", user: "mallory", outcome: "signature_invalid",
                detail: ["peer": "127.0.0.1:5000"]))
        return store
    }

    @Test func everyStoredEventLeavesAnEntryAndTheChainVerifies() async throws {
        let store = try await Self.filledStore()
        let entries = try await store.auditEntries()
        #expect(entries.map(\.event) == ["request.queued", "decision", "request.refused"])
        #expect(entries[1].actor == "user")
        #expect(entries[1].detail["reason"] == "denied by user: no")
        #expect(entries[0].detail["params"] == ["file": "/workspace/a"])
        #expect(entries[0].previousHash == AuditChain.genesis)
        #expect(entries[1].previousHash == entries[0].hash)
        #expect(try await store.verifyAudit() == 3)
    }

    @Test func theDatabaseRefusesToUpdateOrDeleteEntries() async throws {
        let store = try await Self.filledStore()
        await #expect(throws: DatabaseError.self) {
            try await store.database.writer.write { db in try db.execute(sql: "UPDATE audit_log SET outcome = 'x'") }
        }
        await #expect(throws: DatabaseError.self) {
            try await store.database.writer.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE id = 1") }
        }
        #expect(try await store.verifyAudit() == 3)
    }

    @Test func anEditedEntryIsNamed() async throws {
        let store = try await Self.filledStore()
        try await store.database.writer.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_update")
            try db.execute(sql: #"UPDATE audit_log SET detail = '{"reason":"approved"}' WHERE id = 2"#)
        }
        await #expect(throws: AuditChainBreak(id: 2, reason: "its content does not match its hash (it was edited)")) {
            try await store.verifyAudit()
        }
    }

    @Test func aRemovedEntryBreaksTheChainAtTheNextOne() async throws {
        let store = try await Self.filledStore()
        try await store.database.writer.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_delete")
            try db.execute(sql: "DELETE FROM audit_log WHERE id = 2")
        }
        let error = await #expect(throws: AuditChainBreak.self) { try await store.verifyAudit() }
        #expect(error?.id == 3)
    }

    @Test func theHashCoversTheContentAndThePreviousHash() {
        let content: JSONValue = ["event": "decision", "time": 1]
        let first = AuditChain.hash(previous: AuditChain.genesis, content: content)
        #expect(first.count == 64)
        #expect(first != AuditChain.hash(previous: first, content: content))
        #expect(first != AuditChain.hash(previous: AuditChain.genesis, content: ["event": "decision", "time": 2]))
        #expect(first == AuditChain.hash(previous: AuditChain.genesis, content: ["time": 1, "event": "decision"]))
    }
}
