import ConduitCore
import ConduitTestSupport
import HTTPTypes
import Testing

/// `GET /v1/queue` one page at a time: `limit`, `cursor`, `total`, `next_cursor`.
@Suite("Queue pages")
struct QueuePagingRouteTests {
    func ids(_ answer: SignedTestClient.Answer) -> [String] {
        answer.json["pending"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    }

    /// Queues `count` requests as `agent`, a second apart (so "oldest first" has one answer).
    func queue(_ count: Int, _ c: RouterClients, clock: ManualClock) async throws -> [String] {
        var queued: [String] = []
        for _ in 0..<count {
            queued.append(try await c.queue())
            clock.advance(by: 1)
        }
        return queued
    }

    @Test func pagesWalkTheWholeQueueOldestFirstAndEachCountsAll() async throws {
        let clock = ManualClock()
        try await BrokerFixture.withRouter(clock: clock) { c in
            let queued = try await queue(5, c, clock: clock)
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let answer = try await c.user.send(.get, "/v1/queue?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(answer.status == .ok && answer.signed)
                #expect(answer.json["total"] == 5)
                #expect(ids(answer).count == (pages < 2 ? 2 : 1))
                seen += ids(answer)
                cursor = answer.json["next_cursor"]?.stringValue
                if cursor == nil { #expect(answer.json["next_cursor"] == .null) }
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == queued)
            // Without `limit`, one page of the default size: all five here.
            let all = try await c.user.send(.get, "/v1/queue")
            #expect(ids(all) == queued && all.json["next_cursor"] == .null)
        }
    }

    @Test func aRequestDecidedBetweenPagesIsNotListedAndTheCursorStillWorks() async throws {
        let clock = ManualClock()
        try await BrokerFixture.withRouter(clock: clock) { c in
            let queued = try await queue(4, c, clock: clock)
            let first = try await c.user.send(.get, "/v1/queue?limit=2")
            #expect(ids(first) == Array(queued.prefix(2)))
            // The page's last request (the cursor) and the next one are decided before the next page.
            #expect(try await c.user.send(.post, "/v1/actions/\(queued[1])/deny", body: "").status == .ok)
            #expect(try await c.user.send(.post, "/v1/actions/\(queued[2])/approve", body: "").status == .ok)
            let second = try await c.user.send(.get, "/v1/queue?limit=2&cursor=\(first.json["next_cursor"]?.stringValue ?? "")")
            #expect(second.status == .ok)
            #expect(ids(second) == [queued[3]])
            #expect(second.json["total"] == 2)
        }
    }

    @Test(arguments: ["limit=0", "limit=1001", "limit=many", "cursor=no-such-request", "page=2"])
    func aBadQueryIsRefusedWithItsReason(_ query: String) async throws {
        try await BrokerFixture.withRouter { c in
            _ = try await c.queue()
            let answer = try await c.user.send(.get, "/v1/queue?\(query)")
            #expect(answer.status == .badRequest, "\(query): \(answer.json)")
            #expect(answer.signed)
            let message = answer.json["error"]?["message"]?.stringValue ?? ""
            #expect(message.contains(query.hasPrefix("limit") ? "limit" : query.hasPrefix("cursor") ? "cursor" : "unknown query parameter"))
        }
    }
}
