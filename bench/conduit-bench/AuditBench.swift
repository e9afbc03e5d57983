import ConduitCore
import ConduitStore
import Foundation

/// How long `audit verify` takes: fills a database with `rows` entries, then walks the chain.
enum AuditBench {
    static func run(databasePath: String, rows: Int) async throws {
        let store = ConduitStore(database: try ConduitDatabase.open(path: databasePath))
        let existing = try await store.auditEntries(after: 0, limit: 1).count
        if existing == 0 {
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<64 {
                    group.addTask {
                        for index in stride(from: worker, to: rows, by: 64) {
                            try await store.audit(
                                AuditEntry(
                                    timeMilliseconds: Int64(Date().timeIntervalSince1970 * 1000), event: "execution.finished",
                                    user: "agent", actor: "policy auto-accept of noop", action: "noop",
                                    requestID: UUID().uuidString.lowercased(), outcome: "completed",
                                    detail: ["params": ["file": .string("/workspace/file-\(index).txt")], "exit_code": 0]))
                        }
                    }
                }
                try await group.waitForAll()
            }
            print(String(format: "wrote %d audit rows in %.1f s", rows, QueueBench.seconds(ContinuousClock.now - started)))
        }
        let started = ContinuousClock.now
        let verified = try await store.verifyAudit()
        print(String(format: "audit verify (in process): %d rows in %.2f s", verified, QueueBench.seconds(ContinuousClock.now - started)))
    }
}
