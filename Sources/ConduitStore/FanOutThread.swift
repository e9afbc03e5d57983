import Foundation
import Synchronization

/// A thread of its own, at a lower scheduling priority than the rest of the broker, that runs the
/// work handed to it in order. `EventHub` calls its listeners to every event from here, so fanning
/// an event out to hundreds of `/v1/events` subscribers neither holds up the next commit nor takes
/// an event loop or a concurrency thread from requests: the kernel runs requests first.
final class FanOutThread: Sendable {
    /// How much lower than the broker's other threads it runs (nice, Linux: per thread).
    static let niceness: Int32 = 0

    private struct Queue {
        var work: [@Sendable () -> Void] = []
        var stopped = false
    }

    private let queue = Mutex(Queue())
    private let ready = DispatchSemaphore(value: 0)

    /// The thread keeps this object until ``stop()`` ends it.
    init(name: String) {
        let thread = Thread { [self] in
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
