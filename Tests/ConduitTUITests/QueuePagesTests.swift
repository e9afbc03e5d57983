import ConduitCore
import ConduitTUI
import Foundation
import Testing

/// A refresh read page by page (`GET /v1/queue?limit=&cursor=`): the list fills as pages come, the
/// count says so until the last, and a request decided meanwhile does not come back.
@Suite("Queue pages in the view model")
struct QueuePagesTests {
    static func items(_ range: Range<Int>) -> [QueueItem] {
        range.compactMap { index in
            QueueItem(record: QueueViewModelTests.record(String(format: "req-%05d", index), secondsAgo: Double(100_000 - index)))
        }
    }

    @Test func pagesAddUpToTheWholeQueueAndTheCountSaysWhileMoreAreRead() {
        var model = QueueViewModelTests.model()
        model.replaceItems(Self.items(0..<500), morePages: true)
        #expect(QueueViewModelTests.screen(model).first?.contains("500 pending, reading more") == true)
        model.appendPage(Self.items(500..<1000), morePages: true)
        model.appendPage(Self.items(1000..<1200), morePages: false)
        #expect(model.items.count == 1200)
        #expect(model.items.map(\.id) == Self.items(0..<1200).map(\.id))
        let header = QueueViewModelTests.screen(model).first ?? ""
        #expect(header.contains("1200 pending") && !header.contains("reading more"), "\(header)")
    }

    @Test func aRequestDecidedBeforeItsPageArrivesStaysGone() {
        var model = QueueViewModelTests.model()
        model.replaceItems(Self.items(0..<2), morePages: true)
        // Its `decided` event arrives before the page that still lists it.
        model.apply(kind: "decided", record: ["id": "req-00003", "status": "completed"])
        model.appendPage(Self.items(2..<5), morePages: false)
        #expect(model.items.map(\.id) == ["req-00000", "req-00001", "req-00002", "req-00004"])
        // A request queued while the pages were read is listed once.
        model.apply(kind: "queued", record: QueueViewModelTests.record("req-00009", secondsAgo: 1))
        model.appendPage([], morePages: false)
        #expect(model.items.filter { $0.id == "req-00009" }.count == 1)
    }

    @Test func theSelectionScrollsToTheLastRequestOfTheLastPage() {
        var model = QueueViewModelTests.model()
        model.replaceItems(Self.items(0..<500), morePages: true)
        model.appendPage(Self.items(500..<1500), morePages: false)
        for _ in 0..<2000 { _ = model.handle(.down) }
        #expect(model.selectedItem?.id == "req-01499")
        #expect(QueueViewModelTests.screen(model).contains { $0.contains("req-0149") })
    }
}
