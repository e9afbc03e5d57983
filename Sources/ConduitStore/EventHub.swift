import Foundation
import Synchronization

/// Fans committed events out to live listeners (waiting requests, `/v1/events` streams), in id order.
public final class EventHub: Sendable {
    /// A registered listener; ``cancel()`` it when done.
    public struct Subscription: Sendable {
        let id: UInt64
        let hub: EventHub

        /// Stops delivery to this listener.
        public func cancel() { hub.remove(id) }
    }

    private struct State {
        var nextID: UInt64 = 0
        var listeners: [UInt64: @Sendable (BrokerEvent) -> Void] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Calls `listener` with every event published from now on, until canceled. The listener must not block.
    public func subscribe(_ listener: @escaping @Sendable (BrokerEvent) -> Void) -> Subscription {
        let id = state.withLock { state in
            state.nextID += 1
            state.listeners[state.nextID] = listener
            return state.nextID
        }
        return Subscription(id: id, hub: self)
    }

    /// Delivers `events` to every listener.
    public func publish(_ events: [BrokerEvent]) {
        let listeners = state.withLock { Array($0.listeners.values) }
        for event in events {
            for listener in listeners { listener(event) }
        }
    }

    /// How many listeners are registered.
    public var listenerCount: Int { state.withLock { $0.listeners.count } }

    private func remove(_ id: UInt64) {
        _ = state.withLock { $0.listeners.removeValue(forKey: id) }
    }
}
