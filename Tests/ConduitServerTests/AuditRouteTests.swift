import ConduitCore
import ConduitServer
import ConduitTestSupport
import ConduitStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /v1/audit`: filters, pages, and who sees what.
@Suite("Audit API")
struct AuditRouteTests {
    func withClients(_ body: @escaping @Sendable (ApprovalRouteTests.Clients) async throws -> Void) async throws {
        try await ApprovalRouteTests().withClients(body)
    }

    @Test func callersSeeTheirOwnEntriesAndThoseOfSubmittersTheyMayApproveNewestFirst() async throws {
        try await withClients { c in
            let id = try await c.queue()
            _ = try await c.user.send(.post, "/v1/actions/\(id)/deny", body: #"{"reason":"no"}"#)
            _ = try await c.user.send(.post, "/v1/actions", body: #"{"action":"noop"}"#)
            let agents = try await c.agent.send(.get, "/v1/audit")
            #expect(agents.status == .ok && agents.signed)
            let events = agents.json["entries"]?.arrayValue?.compactMap { $0["event"]?.stringValue }
            #expect(events == ["decision", "request.queued"], "the agent sees only its own request")
            let first = agents.json["entries"]?.arrayValue?.last
            #expect(first?["detail"]?["params"] == ["url": "https://example.com"])
            #expect(first?["hash"]?.stringValue?.count == 64)
            #expect(agents.json["next_cursor"] == .null)
            let bosses = try await c.boss.send(.get, "/v1/audit").json["entries"]?.arrayValue ?? []
            #expect(Set(bosses.compactMap { $0["user"]?.stringValue }) == ["agent", "user"])
            #expect(try await c.stranger.send(.get, "/v1/audit").json["entries"] == [])
        }
    }

    @Test func filtersAndPagesCombine() async throws {
        try await withClients { c in
            for _ in 0..<5 { _ = try await c.agent.send(.post, "/v1/actions", body: #"{"action":"noop"}"#) }
            _ = try await c.agent.send(.post, "/v1/actions", body: #"{"action":"forbidden"}"#)
            let denied = try await c.user.send(.get, "/v1/audit?status=denied&user=agent").json["entries"]?.arrayValue
            #expect(denied?.count == 1)
            #expect(denied?.first?["action"] == "forbidden")
            var seen: [Int64] = []
            var cursor: Int64?
            repeat {
                let page = try await c.user.send(.get, "/v1/audit?action=noop&limit=4" + (cursor.map { "&cursor=\($0)" } ?? "")).json
                seen += page["entries"]?.arrayValue?.compactMap { $0["id"]?.integerValue } ?? []
                cursor = page["next_cursor"]?.integerValue
            } while cursor != nil
            #expect(seen.count == 10, "5 requests, each decided and finished")
            #expect(seen == seen.sorted(by: >))
            #expect(try await c.user.send(.get, "/v1/audit?since=2100-01-01T00:00:00Z").json["entries"] == [])
            #expect(try await c.user.send(.get, "/v1/audit?until=0").json["entries"] == [])
            #expect(try await c.user.send(.get, "/v1/audit?since=0&limit=1").json["entries"]?.arrayValue?.count == 1)
        }
    }

    @Test func badQueriesAre400() async throws {
        try await withClients { c in
            for query in ["limit=0", "limit=1001", "limit=ten", "cursor=-1", "since=yesterday", "until=soon", "who=me"] {
                let answer = try await c.user.send(.get, "/v1/audit?\(query)")
                #expect(answer.status == .badRequest, "\(query): \(answer.json)")
            }
        }
    }
}

/// `GET /v1/status`.
@Suite("Status API")
struct StatusRouteTests {
    @Test func statusIsSignedAndReportsTheQueueCatalogAndDatabase() async throws {
        try await ApprovalRouteTests().withClients { c in
            _ = try await c.queue()
            let answer = try await c.stranger.send(.get, "/v1/status")
            #expect(answer.status == .ok && answer.signed)
            #expect(answer.json["version"] == .string(ConduitVersion.current))
            #expect(answer.json["queue_depth"] == 1)
            #expect(answer.json["actions"]?.integerValue ?? 0 >= 10)
            #expect(answer.json["database"]?["state"] == "ok")
            #expect(answer.json["database"]?["path"] == ":memory:")
            #expect(answer.json["uptime_seconds"]?.integerValue != nil)
            let unsigned = try await c.agent.client.execute(uri: "/v1/status", method: .get)
            #expect(unsigned.status == .unauthorized)
        }
    }
}

/// `GET /metrics`.
@Suite("Metrics")
struct MetricsRouteTests {
    @Test func prometheusTextCountsRequestsRefusalsQueueDepthAndDurations() async throws {
        try await ApprovalRouteTests().withClients { c in
            _ = try await c.agent.send(.post, "/v1/actions", body: #"{"action":"noop"}"#)
            _ = try await c.agent.send(.post, "/v1/actions", body: #"{"action":"echo","text":"hi"}"#)
            _ = try await c.agent.send(.post, "/v1/actions", body: #"{"action":"no-such-thing"}"#)
            let approved = try await c.queue(#"{"action":"open-file","file":"a.txt"}"#)
            _ = try await c.user.send(.post, "/v1/actions/\(approved)/approve", body: "")
            _ = try await c.queue()
            _ = try await c.agent.client.execute(uri: "/v1/queue", method: .get)
            let response = try await c.agent.client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(buffer: response.body)
            for line in [
                #"conduit_requests_total{action="noop",outcome="completed"} 1"#,
                #"conduit_requests_total{action="unknown",outcome="rejected"} 1"#,
                #"conduit_requests_total{action="open-file",outcome="pending"} 1"#,
                #"conduit_authentication_failures_total{reason="missing_signature"} 1"#,
                "conduit_queue_depth 1",
                "conduit_time_to_decision_seconds_count 1",
                #"conduit_handler_duration_seconds_count{action="echo"} 1"#,
            ] {
                #expect(text.contains(line), "\(line) in\n\(text)")
            }
            #expect(!text.contains("no-such-thing"), "client-chosen names never become labels")
        }
    }
}
