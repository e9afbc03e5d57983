import Foundation
import Synchronization

/// A thread of its own that runs the work handed to it in order, woken by a semaphore.
///
/// - `EventHub` calls its listeners from one, so fanning an event out to hundreds of `/v1/events`
///   subscribers neither holds up the next commit nor takes an event loop from requests.
/// - `GroupCommitWriter` commits on one: a batch costs one wake-up of this thread and SQLite runs
///   on it synchronously (GRDB's synchronous write from a thread that is not its queue runs the
///   work right there), where an awaited GRDB write cost a task, a Dispatch hop there and a hop back
///   — thread wake-ups are the dearest thing on these machines (docs/DESIGN.md "Benchmark").
final class SerialThread: Sendable {
    private struct Queue {
        var work: [@Sendable () -> Void] = []
        var stopped = false
    }

    private let queue = Mutex(Queue())
    private let ready = DispatchSemaphore(value: 0)

    /// The thread keeps this object until ``stop()`` ends it. A positive `niceness` runs it below
    /// the broker's other threads (Linux sets it per thread).
    init(name: String, niceness: Int32 = 0) {
        let thread = Thread { [self] in
            // Linux: with who = 0 this sets the calling thread's nice value (it is per thread).
            if niceness > 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) }
            while true {
                ready.wait()
                let (work, stopped) = queue.withLock { queue in
                    defer { queue.work.removeAll(keepingCapacity: true) }
                    return (queue.work, queue.stopped)
                }
                for item in work { item() }
                if stopped { return }
            }
        }
        thread.name = name
        thread.start()
    }

    /// Runs `work` on the thread, after everything handed over before it.
    func run(_ work: @escaping @Sendable () -> Void) {
        queue.withLock { $0.work.append(work) }
        ready.signal()
    }

    /// Ends the thread once the work handed over so far is done.
    func stop() {
        queue.withLock { $0.stopped = true }
        ready.signal()
    }
}
