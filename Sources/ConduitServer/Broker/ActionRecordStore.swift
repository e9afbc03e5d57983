import Synchronization

/// Accepted requests by id, in memory.
///
/// The durable SQLite store arrives with the approval queue; until then records live as long as
/// the process. Beyond ``capacity``, the oldest *final* records are dropped in batches (pending
/// ones are always kept), so a long-running broker does not grow without bound.
public final class ActionRecordStore: Sendable {
    private struct State {
        var records: [String: ActionRecord] = [:]
        /// Ids in insertion order.
        var order: [String] = []
    }

    private let state = Mutex(State())
    /// How many records are kept.
    public let capacity: Int

    public init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// Adds or replaces a record.
    public func save(_ record: ActionRecord) {
        state.withLock { state in
            if state.records.updateValue(record, forKey: record.id) == nil {
                state.order.append(record.id)
            }
            if state.records.count > capacity + capacity / 10 {
                Self.evict(downTo: capacity, in: &state)
            }
        }
    }

    /// The record with `id`.
    public func record(id: String) -> ActionRecord? {
        state.withLock { $0.records[id] }
    }

    /// How many records are held.
    public var count: Int { state.withLock { $0.records.count } }

    /// Drops the oldest final records, scanning from the front; pending ones are kept in order.
    private static func evict(downTo capacity: Int, in state: inout State) {
        var excess = state.records.count - capacity
        var stillPending: [String] = []
        var scanned = 0
        while excess > 0, scanned < state.order.count {
            let id = state.order[scanned]
            scanned += 1
            guard let record = state.records[id] else { continue }
            if record.status.isFinal {
                state.records.removeValue(forKey: id)
                excess -= 1
            } else {
                stillPending.append(id)
            }
        }
        state.order = stillPending + state.order[scanned...]
    }
}
