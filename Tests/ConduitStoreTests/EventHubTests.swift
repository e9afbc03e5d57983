import ConduitCore
import ConduitStore
import Foundation
import Synchronization
import Testing

@Suite("Event fan-out")
struct EventHubTests {
    static func event(_ id: Int64, record: String) -> BrokerEvent {
        BrokerEvent(
            id: id, kind: .queued, time: Date(timeIntervalSince1970: 1_800_000_000),
            record: ActionRecord(
                id: record, action: "ask", submitter: "agent", params: ["text": "hello"], status: .pending,
                created: Date(timeIntervalSince1970: 1_800_000_000)))
    }

    final class Seen: Sendable {
        let events = Mutex<[PublishedEvent]>([])
        func add(_ event: PublishedEvent) { events.withLock { $0.append(event) } }
        var ids: [Int64] { events.withLock { $0.map(\.event.id) } }
    }

    @Test func everySubscriberGetsTheSameEventEncodedOnce() async {
        let hub = EventHub()
        let subscribers = (0..<50).map { _ in Seen() }
        let subscriptions = subscribers.map { seen in hub.subscribe { seen.add($0) } }
        defer { subscriptions.forEach { $0.cancel() } }
        hub.publish([Self.event(1, record: "a"), Self.event(2, record: "b")])
        await hub.delivered()
        #expect(subscribers.allSatisfy { $0.ids == [1, 2] })
        let first = subscribers[0].events.withLock { $0[0] }
        #expect(subscribers.allSatisfy { $0.events.withLock { $0[0] } === first }, "one shared object per event")
        #expect(first.serverSentEvent == PublishedEvent.serverSentEvent(for: first.event))
        #expect(first.serverSentEvent.hasPrefix("id: 1\nevent: queued\ndata: {"))
    }

    final class Gate: Sendable {
        let semaphore = DispatchSemaphore(value: 0)
        let waits = Mutex<[DispatchTimeoutResult]>([])
    }

    @Test func publishingDoesNotWaitForListenersToEveryEvent() async {
        let hub = EventHub()
        let gate = Gate()
        // This listener is held until publish has returned (or 2 s pass, as they would if publish waited for it).
        let held = hub.subscribe { _ in
            let result = gate.semaphore.wait(timeout: .now() + 2)
            gate.waits.withLock { $0.append(result) }
        }
        defer { held.cancel() }
        hub.publish([Self.event(1, record: "r")])
        gate.semaphore.signal()
        await hub.delivered()
        #expect(gate.waits.withLock { $0 } == [.success])
    }

    @Test func aRecordsFollowersSeeOnlyItsEventsAndAtOnce() async {
        let hub = EventHub()
        let followsA = Seen()
        let everything = Seen()
        let a = hub.subscribe(record: "a") { followsA.add($0) }
        let all = hub.subscribe { everything.add($0) }
        hub.publish([Self.event(1, record: "a"), Self.event(2, record: "b"), Self.event(3, record: "a")])
        #expect(followsA.ids == [1, 3], "a waiter learns of its record before publish returns")
        await hub.delivered()
        #expect(everything.ids == [1, 2, 3])
        #expect(hub.listenerCount == 2)
        a.cancel()
        all.cancel()
        #expect(hub.listenerCount == 0)
        hub.publish([Self.event(4, record: "a")])
        await hub.delivered()
        #expect(followsA.ids == [1, 3], "nothing after cancel")
        #expect(everything.ids == [1, 2, 3], "nothing after cancel")
    }
}
