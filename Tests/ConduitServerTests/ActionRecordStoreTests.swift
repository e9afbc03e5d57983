import ConduitCore
import ConduitServer
import Foundation
import Testing

@Suite("In-memory record store")
struct ActionRecordStoreTests {
    func record(_ id: Int, _ status: ActionStatus) -> ActionRecord {
        ActionRecord(id: "\(id)", action: "noop", submitter: "agent", params: [:], status: status, created: Date())
    }

    @Test func beyondCapacityTheOldestFinalRecordsGoAndPendingOnesStay() {
        let store = ActionRecordStore(capacity: 10)
        store.save(record(0, .pending))
        for id in 1...20 { store.save(record(id, .completed)) }
        #expect(store.count <= 11)
        #expect(store.record(id: "0")?.status == .pending)
        #expect(store.record(id: "20") != nil)
        #expect(store.record(id: "1") == nil)
    }
}
