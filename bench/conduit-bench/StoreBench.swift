import ConduitCore
import ConduitStore
import Foundation

/// The durable store alone, without HTTP: `workers` tasks each save decision-only records (the
/// record, its `decided` and `finished` events and their audit rows) for `seconds`, as the broker
/// does for an auto-accepted request. Prints saves per second and process CPU per save.
enum StoreBench {
    static func run(databasePath: String, workers: Int, seconds: Double) async throws {
        try? FileManager.default.removeItem(atPath: databasePath)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
        let store = ConduitStore(database: try ConduitDatabase.open(path: databasePath))
        let template = ActionRecord(
            id: "", action: "noop", description: "Records the decision and nothing else.", submitter: "agent",
            params: [:], status: .completed, created: Date(),
            decision: ActionDecision(kind: .policy, by: "policy auto-accept of noop", at: Date()), result: [:],
            finished: Date(), actionFingerprint: String(repeating: "f", count: 64))
        let cpuBefore = processCPUSeconds()
        let started = ContinuousClock.now
        let deadline = started + .milliseconds(Int(seconds * 1000))
        let saves = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        var record = template
                        record.id = UUID().uuidString.lowercased()
                        try await store.save(record, events: [.decided, .finished])
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = QueueBench.seconds(ContinuousClock.now - started)
        let cpu = processCPUSeconds() - cpuBefore
        print(
            String(
                format: "store: %d workers, %d saves in %.1f s = %.0f saves/s; CPU %.1f µs per save (%.2f cores)", workers,
                saves, elapsed, Double(saves) / elapsed, cpu / Double(saves) * 1e6, cpu / elapsed))
    }

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
