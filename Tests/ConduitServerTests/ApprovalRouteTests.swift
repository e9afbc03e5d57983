import ConduitCore
import ConduitServer
import ConduitStore
import ConduitTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Deciding queued requests over HTTP: who may, what happens, what is refused.
///
/// Users (``BrokerFixture``): `agent` submits; `user` and `boss` may decide for `agent`; `boss`
/// also for `user`; `stranger` may decide for nobody.
@Suite("Approvals API")
struct ApprovalRouteTests {
    typealias Clients = RouterClients

    func withClients(
        defaultExpiry: Int = ServerDefaults.defaultExpires, clock: any BrokerClock = SystemClock(),
        _ body: @escaping @Sendable (Clients) async throws -> Void
    ) async throws {
        try await BrokerFixture.withRouter(defaultExpiry: defaultExpiry, clock: clock, body)
    }

    @Test func theQueueListsOnlyWhatTheCallerMayDecideAndNeverTheirOwn() async throws {
        try await withClients { c in
            let agents = try await c.queue()
            let users = try await c.queue(as: c.user)
            func ids(_ client: SignedTestClient) async throws -> [String] {
                let answer = try await client.send(.get, "/v1/queue")
                #expect(answer.status == .ok && answer.signed)
                return answer.json["pending"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            }
            #expect(try await ids(c.user) == [agents])
            #expect(try await ids(c.boss) == [agents, users])
            #expect(try await ids(c.agent) == [])
            #expect(try await ids(c.stranger) == [])
        }
    }

    @Test func thePermissionMatrixForApproveDenyAndCancel() async throws {
        try await withClients { c in
            let id = try await c.queue()
            // The submitter cannot decide its own request; a stranger cannot decide it either.
            for (client, verb) in [(c.agent, "approve"), (c.agent, "deny"), (c.stranger, "approve"), (c.stranger, "deny")] {
                let answer = try await client.send(.post, "/v1/actions/\(id)/\(verb)", body: "")
                #expect(answer.status == .forbidden, "\(client.user) \(verb): \(answer.json)")
                #expect(answer.json["error"]?["code"] == "forbidden")
            }
            // Only the submitter cancels: an approver gets 403, a stranger 404 (it cannot see it).
            #expect(try await c.user.send(.delete, "/v1/actions/\(id)").status == .forbidden)
            #expect(try await c.stranger.send(.delete, "/v1/actions/\(id)").status == .notFound)
            // An unknown id is 404 for everyone.
            #expect(try await c.user.send(.post, "/v1/actions/nope/approve", body: "").status == .notFound)
            // Nothing changed.
            #expect(try await c.agent.send(.get, "/v1/actions/\(id)").json["status"] == "pending")
            // An approver may.
            let approved = try await c.user.send(.post, "/v1/actions/\(id)/approve", body: "")
            #expect(approved.status == .ok && approved.signed)
            #expect(approved.json["decision"]?["kind"] == "person")
            #expect(approved.json["decision"]?["by"] == "user")
        }
    }

    @Test func denyingKeepsWhoWhenAndWhyAndTheSubmitterReadsIt() async throws {
        try await withClients { c in
            let id = try await c.queue()
            let denied = try await c.boss.send(.post, "/v1/actions/\(id)/deny", body: #"{"reason":"not on a Friday"}"#)
            #expect(denied.status == .ok)
            let record = try await c.agent.send(.get, "/v1/actions/\(id)").json
            #expect(record["status"] == "denied")
            #expect(record["reason"] == "denied by boss: not on a Friday")
            #expect(record["decision"]?["approver"] == "boss")
            #expect(record["decision"]?["outcome"] == "denied")
            #expect(record["decision"]?["at"]?.stringValue != nil)
            // Decided requests cannot be decided again: 409, and the record stays as it is.
            let again = try await c.user.send(.post, "/v1/actions/\(id)/approve", body: "{}")
            #expect(again.status == .conflict)
            #expect(again.json["error"]?["code"] == "not_pending")
            #expect(try await c.agent.send(.get, "/v1/actions/\(id)").json["status"] == "denied")
        }
    }

    @Test func approvingRunsTheHandlerWithThePathMappedAtThatMoment() async throws {
        try await withClients { c in
            let workspace = c.fixture.hostDirectory + "/workspace"
            try Data("hi".utf8).write(to: URL(fileURLWithPath: workspace + "/notes.txt"))
            let id = try await c.queue(#"{"action":"open-file","file":"notes.txt"}"#)
            let approved = try await c.user.send(.post, "/v1/actions/\(id)/approve", body: #"{"reason":"fine"}"#)
            #expect(approved.status == .ok)
            #expect(["running", "completed"].contains(approved.json["status"]?.stringValue))
            let done = try await c.agent.send(.get, "/v1/actions/\(id)?wait=10").json
            #expect(done["status"] == "completed")
            #expect(done["result"]?["stdout"] == .string(workspace + "/notes.txt\n"))
        }
    }

    @Test func aSymlinkPlantedWhileTheRequestWaitedIsNotFollowed() async throws {
        try await withClients { c in
            let workspace = c.fixture.hostDirectory + "/workspace"
            try Data("hi".utf8).write(to: URL(fileURLWithPath: workspace + "/report.txt"))
            let id = try await c.queue(#"{"action":"open-file","file":"report.txt"}"#)
            // While it waits, the file becomes a link to a host secret outside the workspace.
            try FileManager.default.removeItem(atPath: workspace + "/report.txt")
            try FileManager.default.createSymbolicLink(atPath: workspace + "/report.txt", withDestinationPath: "/etc/passwd")
            let approved = try await c.user.send(.post, "/v1/actions/\(id)/approve", body: "")
            #expect(approved.status == .ok)
            #expect(approved.json["status"] == "failed")
            #expect(approved.json["result"] == nil, "the handler must not have run")
            #expect(approved.json["reason"]?.stringValue?.contains("outside") == true || approved.json["reason"]?.stringValue?.contains("escape") == true,
                "\(approved.json)")
        }
    }

    @Test func twoApproversRacingExactlyOneWinsAndTheHandlerRunsOnce() async throws {
        try await withClients { c in
            for _ in 0..<10 {
                let id = try await c.queue(#"{"action":"open-file","file":"race.txt"}"#)
                async let first = c.user.send(.post, "/v1/actions/\(id)/approve", body: "")
                async let second = c.boss.send(.post, "/v1/actions/\(id)/approve", body: "")
                let statuses = try await [first.status, second.status].map(\.code).sorted()
                #expect(statuses == [200, 409])
                _ = try await c.agent.send(.get, "/v1/actions/\(id)?wait=10")
                let events = try await c.broker.store.events(after: 0).filter { $0.record.id == id }
                #expect(events.map(\.kind) == [.queued, .decided, .started, .finished], "one decision, one run")
            }
        }
    }

    @Test func anExpiredRequestIsExpiredNotDeniedAndCannotBeApproved() async throws {
        let clock = ManualClock(now: Date())
        try await withClients(clock: clock) { c in
            let id = try await c.queue(#"{"action":"ask-briefly"}"#)
            clock.advance(by: 1.1)
            // Past its deadline, approval is refused even before the sweeper marks it.
            let late = try await c.user.send(.post, "/v1/actions/\(id)/approve", body: "")
            #expect(late.status == .conflict)
            #expect(late.json["error"]?["code"] == "expired")
            #expect(try await c.broker.expireDue() == 1)
            let record = try await c.agent.send(.get, "/v1/actions/\(id)").json
            #expect(record["status"] == "expired")
            #expect(record["decision"] == nil)
            #expect(try await c.user.send(.get, "/v1/queue").json["pending"] == [])
        }
    }

    @Test func theServerDefaultExpiryAppliesWhenTheActionSetsNone() async throws {
        try await withClients(defaultExpiry: 60) { c in
            let id = try await c.queue()
            let record = try await c.agent.send(.get, "/v1/actions/\(id)").json
            let created = try #require(record["created"]?.stringValue.flatMap { try? Date($0, strategy: .iso8601) })
            let expires = try #require(record["expires"]?.stringValue.flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(expires.timeIntervalSince(created) - 60) < 1)
        }
    }

    @Test func theSubmitterCancelsItsPendingRequestOnce() async throws {
        try await withClients { c in
            let id = try await c.queue()
            let canceled = try await c.agent.send(.delete, "/v1/actions/\(id)")
            #expect(canceled.status == .ok)
            #expect(canceled.json["status"] == "canceled")
            #expect(try await c.agent.send(.delete, "/v1/actions/\(id)").status == .conflict)
            #expect(try await c.user.send(.post, "/v1/actions/\(id)/approve", body: "").status == .conflict)
        }
    }

    @Test func decisionBodiesAreValidated() async throws {
        try await withClients { c in
            let id = try await c.queue()
            for body in [#"[1]"#, #"{"reason": 3}"#, #"{"why": "x"}"#, #"{"remember": -1}"#, #"{"remember": "1h"}"#, "not json"] {
                let answer = try await c.user.send(.post, "/v1/actions/\(id)/approve", body: body)
                #expect(answer.status == .badRequest, "\(body): \(answer.json)")
            }
            #expect(try await c.user.send(.post, "/v1/actions/\(id)/deny", body: #"{"remember": 60}"#).status == .badRequest)
            #expect(try await c.agent.send(.get, "/v1/actions/\(id)?wait=301").status == .badRequest)
            #expect(try await c.agent.send(.get, "/v1/actions/\(id)?wait=soon").status == .badRequest)
            #expect(try await c.agent.send(.get, "/v1/actions/\(id)").json["status"] == "pending")
        }
    }

    @Test func waitingReturnsAsSoonAsTheRequestIsDecided() async throws {
        let clock = ManualClock(now: Date())
        try await withClients(clock: clock) { c in
            let id = try await c.queue()
            async let waited = c.agent.send(.get, "/v1/actions/\(id)?wait=30")
            try await Self.untilWaiting(1, on: clock)
            _ = try await c.user.send(.post, "/v1/actions/\(id)/deny", body: #"{"reason":"no"}"#)
            let answer = try await waited
            #expect(answer.json["status"] == "denied", "answered by the decision: the clock never moved")
            // A pending request's wait ends when the time is up, with the record as it stands.
            let other = try await c.queue()
            async let pending = c.agent.send(.get, "/v1/actions/\(other)?wait=1")
            try await Self.untilWaiting(1, on: clock)
            clock.advance(by: 1)
            #expect(try await pending.status == .ok)
            #expect(try await pending.json["status"] == "pending")
        }
    }

    /// Returns once `count` waits sleep on `clock` (each `?wait=` sleeps on it while it waits).
    static func untilWaiting(_ count: Int, on clock: ManualClock) async throws {
        for _ in 0..<100_000 where clock.sleeping < count { await Task.yield() }
        #expect(clock.sleeping == count, "the wait did not begin")
    }
}

extension RouterClients {
    /// Queues `body` as `agent` (or `submitter`) and returns the id.
    func queue(_ body: String = #"{"action":"ask","url":"https://example.com"}"#, as submitter: SignedTestClient? = nil)
        async throws -> String
    {
        let answer = try await (submitter ?? agent).send(.post, "/v1/actions", body: body)
        #expect(answer.status == .accepted, "\(answer.json)")
        return try #require(answer.json["id"]?.stringValue)
    }
}
