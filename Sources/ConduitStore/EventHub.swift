import ConduitCore
import Foundation
import Synchronization

/// Fans committed events out to live listeners, in id order: `/v1/events` streams see every event,
/// a waiting request (`?wait=`) only its own record's.
///
/// Publishing runs on the store's writer after each commit, so it does the least it can: each event
/// is wrapped once in a ``PublishedEvent`` (whose wire form is encoded at most once, for all
/// subscribers); a record's waiters are found by its id and told at once; listeners to every event
/// are called from a ``SerialThread`` of the hub's own, so five hundred of
/// them hold up neither the next commit nor requests. A listener only hands the event on (it must
/// not block).
public final class EventHub: Sendable {
    /// A registered listener; ``cancel()`` it when done.
    public struct Subscription: Sendable {
        let id: UInt64
        let hub: EventHub

        /// Stops delivery to this listener.
        public func cancel() { hub.remove(id) }
    }

    public typealias Listener = @Sendable (PublishedEvent) -> Void

    private struct State {
        var nextID: UInt64 = 0
        /// Listeners to every event.
        var everything: [UInt64: Listener] = [:]
        /// Listeners to one record's events, by record id.
        var byRecord: [String: [UInt64: Listener]] = [:]
        /// The record each `byRecord` listener follows, to remove it.
        var recordOf: [UInt64: String] = [:]
    }

    private final class Listeners: Sendable {
        let state = Mutex(State())
    }

    private let listeners = Listeners()
    private let fanOut = SerialThread(name: "conduit-fan-out")

    public init() {}

    deinit { fanOut.stop() }

    /// Returns once every event published before the call reached the listeners to every event.
    public func delivered() async {
        await withCheckedContinuation { continuation in
            fanOut.run { continuation.resume() }
        }
    }

    /// Calls `listener` with every event published from now on, until canceled.
    public func subscribe(_ listener: @escaping Listener) -> Subscription {
        let id = listeners.state.withLock { state in
            state.nextID += 1
            state.everything[state.nextID] = listener
            return state.nextID
        }
        return Subscription(id: id, hub: self)
    }

    /// Calls `listener` with every event of record `recordID` published from now on, until canceled.
    public func subscribe(record recordID: String, _ listener: @escaping Listener) -> Subscription {
        let id = listeners.state.withLock { state in
            state.nextID += 1
            state.byRecord[recordID, default: [:]][state.nextID] = listener
            state.recordOf[state.nextID] = recordID
            return state.nextID
        }
        return Subscription(id: id, hub: self)
    }

    /// Delivers `events`: to their records' followers now, to everyone's listeners from the fan-out
    /// thread (in the same order).
    public func publish(_ events: [BrokerEvent]) {
        let published = events.map(PublishedEvent.init)
        let (followers, anyoneListens) = listeners.state.withLock { state in
            let followers = state.byRecord.isEmpty
                ? [] : published.map { event in state.byRecord[event.event.record.id].map { Array($0.values) } ?? [] }
            return (followers, !state.everything.isEmpty)
        }
        for (index, event) in published.enumerated() where !followers.isEmpty {
            for listener in followers[index] { listener(event) }
        }
        guard anyoneListens else { return }
        fanOut.run { [listeners] in
            let everyone = listeners.state.withLock { Array($0.everything.values) }
            for event in published {
                for listener in everyone { listener(event) }
            }
        }
    }

    /// How many listeners are registered.
    public var listenerCount: Int { listeners.state.withLock { $0.everything.count + $0.recordOf.count } }

    private func remove(_ id: UInt64) {
        listeners.state.withLock { state in
            if state.everything.removeValue(forKey: id) != nil { return }
            guard let recordID = state.recordOf.removeValue(forKey: id) else { return }
            state.byRecord[recordID]?.removeValue(forKey: id)
            if state.byRecord[recordID]?.isEmpty == true { state.byRecord.removeValue(forKey: recordID) }
        }
    }
}

/// One published event, shared by every listener it is delivered to.
public final class PublishedEvent: Sendable {
    public let event: BrokerEvent
    private let frame = Mutex<String?>(nil)

    public init(_ event: BrokerEvent) {
        self.event = event
    }

    /// The event as a Server-Sent Events frame (`id:`, `event:` = its kind, `data:` = its JSON),
    /// encoded by the first subscriber that asks and reused by the rest.
    public var serverSentEvent: String {
        frame.withLock { frame in
            if let frame { return frame }
            let encoded = Self.serverSentEvent(for: event)
            frame = encoded
            return encoded
        }
    }

    /// `event` as a Server-Sent Events frame.
    public static func serverSentEvent(for event: BrokerEvent) -> String {
        ServerSentEvent(id: String(event.id), event: event.kind.rawValue, data: event.json.compactText).encoded
    }
}
