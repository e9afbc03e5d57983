import ConduitCore
import ConduitStore
import Foundation
import Testing

@testable import ConduitServer

@Suite("Event mailbox")
struct EventMailboxTests {
    static func published(_ id: Int64) -> PublishedEvent {
        PublishedEvent(
            BrokerEvent(
                id: id, kind: .queued, time: Date(),
                record: ActionRecord(id: "r\(id)", action: "ask", submitter: "agent", params: [:], status: .pending, created: Date())))
    }

    @Test func theWriterTakesEverythingWaitingInOneBatch() {
        let mailbox = EventMailbox(capacity: 10)
        for id: Int64 in 1...3 { mailbox.deliver(Self.published(id)) }
        mailbox.heartbeat()
        let batch = mailbox.take()
        #expect(batch.events.map(\.event.id) == [1, 2, 3])
        #expect(batch.heartbeat)
        #expect(batch.dropped == 0)
        let empty = mailbox.take()
        #expect(empty.events.isEmpty && !empty.heartbeat, "taking empties it")
    }

    @Test func pastItsCapacityEventsAreCountedAsDropped() {
        let mailbox = EventMailbox(capacity: 2)
        for id: Int64 in 1...5 { mailbox.deliver(Self.published(id)) }
        let batch = mailbox.take()
        #expect(batch.events.map(\.event.id) == [1, 2])
        #expect(batch.dropped == 3)
    }
}
