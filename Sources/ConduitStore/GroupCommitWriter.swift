import ConduitCore
import GRDB
import Synchronization

/// Commits concurrent writes together: whatever arrives while a transaction commits goes into the next
/// one, and every caller resumes only once *its* write is durable.
///
/// One awaited transaction per request cost ~40% of the broker's throughput (docs/DESIGN.md); grouping
/// keeps the rule "stored before the answer" at a fraction of that. Each write runs in its own
/// savepoint, so one failing write rolls back only itself. Events a write appends are published, in id
/// order, after the commit and before any caller resumes.
///
/// Batches commit on a ``SerialThread`` of the writer's own, synchronously; every
/// ``checkpointEvery`` commits the write-ahead log is copied back into the database by a
/// ``Checkpointer`` on another connection and thread, so the commit path never waits for it (a
/// checkpoint syncs the file: milliseconds, which SQLite's automatic checkpoint spent inside a
/// commit and so inside some request's answer).
final class GroupCommitWriter: Sendable {
    typealias Work = @Sendable (Database, inout [BrokerEvent]) throws -> any Sendable

    private struct Job {
        let work: Work
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    private struct State {
        var jobs: [Job] = []
        var draining = false
    }

    private let writer: any DatabaseWriter
    private let thread = SerialThread(name: "conduit-writer")
    private let checkpointer: Checkpointer?
    private let commits = Atomic(0)
    /// Commits between two checkpoints (≈ 4 pages each; SQLite's own default is every 1,000 pages).
    static let checkpointEvery = 256
    private let publish: @Sendable ([BrokerEvent]) -> Void
    private let state = Mutex(State())
    /// Where storage failures (and recoveries) are noted.
    let health: StorageHealth
    /// Checked after every commit: a deleted `-wal` means nothing more may be acknowledged.
    let walWatch: WriteAheadLogWatch?

    init(
        writer: any DatabaseWriter, health: StorageHealth = StorageHealth(), walWatch: WriteAheadLogWatch? = nil,
        checkpointer: Checkpointer? = nil, publish: @escaping @Sendable ([BrokerEvent]) -> Void
    ) {
        self.writer = writer
        self.checkpointer = checkpointer
        self.health = health
        self.walWatch = walWatch
        self.publish = publish
    }

    /// A storage error becomes a ``StorageFailure`` (and is noted); any other error stays as it is.
    private func classified(_ error: any Error) -> any Error {
        guard let failure = StorageFailure.classify(error) else { return error }
        health.record(failure)
        return failure
    }

    /// Runs `work` in the next group transaction; returns its result once committed.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database, inout [BrokerEvent]) throws -> T) async throws -> T {
        let result = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            let startDraining = state.withLock { state in
                state.jobs.append(Job(work: { db, events in try work(db, &events) }, continuation: continuation))
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDraining { thread.run { self.drain() } }
        }
        return result as! T  // The job was built from `work`, which returns T.
    }

    /// Ends the writer's thread once the batches handed over so far are committed.
    func stop() {
        thread.stop()
        checkpointer?.stop()
    }

    private func drain() {
        while true {
            let batch = state.withLock { state in
                let batch = state.jobs
                state.jobs = []
                if batch.isEmpty { state.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            if let walWatch, walWatch.isKnownBroken {
                for job in batch { job.continuation.resume(throwing: walWatch.failure) }
                continue
            }
            let works = batch.map(\.work)
            do {
                let (results, events) = try writer.write { db in
                    var events: [BrokerEvent] = []
                    var results: [Result<any Sendable, any Error>] = []
                    for work in works {
                        var jobEvents: [BrokerEvent] = []
                        var outcome: Result<any Sendable, any Error> = .failure(CancellationError())
                        do {
                            try db.inSavepoint {
                                outcome = .success(try work(db, &jobEvents))
                                return .commit
                            }
                        } catch {
                            outcome = .failure(self.classified(error))
                            jobEvents = []
                        }
                        events += jobEvents
                        results.append(outcome)
                    }
                    return (results, events)
                }
                if let walWatch, !walWatch.isIntact() {
                    // Committed into a file that no longer has a name: not durable, not acknowledged.
                    health.record(walWatch.failure)
                    for job in batch { job.continuation.resume(throwing: walWatch.failure) }
                    continue
                }
                if commits.add(1, ordering: .relaxed).newValue % Self.checkpointEvery == 0 { checkpointer?.request() }
                if !events.isEmpty { publish(events) }
                if results.contains(where: { if case .success = $0 { true } else { false } }) { health.recordSuccess() }
                for (job, result) in zip(batch, results) {
                    job.continuation.resume(with: result)
                }
            } catch {
                let failure = classified(error)
                for job in batch { job.continuation.resume(throwing: failure) }
            }
        }
    }
}
