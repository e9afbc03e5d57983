import ConduitCore
import Synchronization

/// Live run events, published after the commit that stored them, to listeners of one run.
public final class RunEventHub: Sendable {
    /// Ends a listener's interest.
    public struct Subscription: Sendable {
        let hub: RunEventHub
        let run: String
        let id: UInt64
        public func cancel() { hub.remove(run: run, id: id) }
    }

    public typealias Listener = @Sendable (RunEvent) -> Void

    private struct Listeners {
        var next: UInt64 = 0
        var byRun: [String: [UInt64: Listener]] = [:]
    }

    private let listeners = Mutex(Listeners())

    public init() {}

    /// Calls `listener` with every event of run `run` published from now on (on the publisher's thread).
    public func subscribe(run: String, _ listener: @escaping Listener) -> Subscription {
        let id = listeners.withLock { state in
            state.next += 1
            state.byRun[run, default: [:]][state.next] = listener
            return state.next
        }
        return Subscription(hub: self, run: run, id: id)
    }

    /// Hands each event to the listeners of its run.
    public func publish(_ events: [RunEvent]) {
        for event in events {
            let targets = listeners.withLock { Array(($0.byRun[event.run] ?? [:]).values) }
            for listener in targets { listener(event) }
        }
    }

    /// How many listeners are registered (tests: a stream that ended must not leave one behind).
    public var listenerCount: Int { listeners.withLock { $0.byRun.values.reduce(0) { $0 + $1.count } } }

    private func remove(run: String, id: UInt64) {
        listeners.withLock { state in
            state.byRun[run]?[id] = nil
            if state.byRun[run]?.isEmpty == true { state.byRun[run] = nil }
        }
    }
}
