import ConduitStore
import Synchronization

/// What one `/v1/events` subscriber has not yet been sent: events in id order, heartbeats due, and
/// how many events were dropped because it fell more than ``capacity`` behind.
///
/// Delivery only appends and wakes the subscriber's writer, which takes everything waiting at once
/// and sends it in one write: a busy broker costs each subscriber one write per wake-up, however
/// many events arrived meanwhile, instead of one write per event.
final class EventMailbox: Sendable {
    /// What the writer takes in one go.
    struct Batch {
        var events: [PublishedEvent] = []
        /// Events dropped after `events` because the mailbox was full.
        var dropped = 0
        var heartbeat = false
    }

    let capacity: Int
    private let waiting = Mutex(Batch())
    private let wake: AsyncStream<Void>.Continuation
    /// Yields when something was added since the last ``take()``; ends with ``close()``.
    let wakeUps: AsyncStream<Void>

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        (wakeUps, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Adds `event`, or counts it as dropped when ``capacity`` events already wait.
    func deliver(_ event: PublishedEvent) {
        waiting.withLock { batch in
            if batch.events.count >= capacity {
                batch.dropped += 1
            } else {
                batch.events.append(event)
            }
        }
        wake.yield()
    }

    /// Asks for a heartbeat comment with the next write.
    func heartbeat() {
        waiting.withLock { $0.heartbeat = true }
        wake.yield()
    }

    /// Everything waiting, leaving the mailbox empty.
    func take() -> Batch {
        waiting.withLock { batch in
            defer { batch = Batch() }
            return batch
        }
    }

    /// Ends ``wakeUps``.
    func close() { wake.finish() }
}
