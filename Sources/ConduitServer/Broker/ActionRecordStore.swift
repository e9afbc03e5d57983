import Synchronization

/// Accepted requests by id, in memory.
///
/// The durable SQLite store arrives with the approval queue; until then records live as long as the
/// process, and the oldest final records are dropped beyond ``capacity``.
public final class ActionRecordStore: Sendable {
    private struct State {
        var records: [String: ActionRecord] = [:]
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
            if state.order.count > capacity, let index = state.order.firstIndex(where: { state.records[$0]?.status.isFinal ?? true }) {
                let evicted = state.order.remove(at: index)
                state.records.removeValue(forKey: evicted)
            }
        }
    }

    /// The record with `id`.
    public func record(id: String) -> ActionRecord? {
        state.withLock { $0.records[id] }
    }
}
