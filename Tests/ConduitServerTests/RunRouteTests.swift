import ConduitCore
import ConduitServer
import ConduitTestSupport
import Foundation
import HTTPTypes
import Testing

/// `/v1/runs` in process: what is asked, who sees what, and what an attempt's credential may do.
/// (Runs never start here; the real runner is exercised in tests/interop/test_runs.py.)
@Suite("Run routes")
struct RunRouteTests {
    static func start(_ c: RouterClients, policy: String = "quick", fanout: Int? = nil) async throws -> SignedTestClient.Answer {
        let extra = fanout.map { ", \"fanout\": \($0)" } ?? ""
        return try await c.agent.send(.post, "/v1/runs", body: #"{"policy": "\#(policy)", "project": "demo", "prompt": "Fix it."\#(extra)}"#)
    }

    @Test func aRunIsQueuedAndSeenByItsSubmitterAndItsApproversOnly() async throws {
        try await BrokerFixture.withRouter { c in
            let answer = try await Self.start(c, fanout: 2)
            #expect(answer.status == .accepted && answer.signed)
            let runs = try #require(answer.json["runs"]?.arrayValue)
            #expect(runs.count == 2 && runs.allSatisfy { $0["status"] == "queued" && $0["group"] == answer.json["group"] })
            let id = try #require(runs.first?["id"]?.stringValue)
            #expect(try await c.agent.send(.get, "/v1/runs/\(id)").json["prompt"] == "Fix it.")
            #expect(try await c.user.send(.get, "/v1/runs/\(id)").status == .ok)
            #expect(try await c.stranger.send(.get, "/v1/runs/\(id)").status == .notFound)
            #expect(try await c.stranger.send(.get, "/v1/runs/\(id)/events").status == .notFound)
            #expect(try await c.stranger.send(.post, "/v1/runs/\(id)/cancel").status == .notFound)
            #expect(try await c.stranger.send(.get, "/v1/runs").json["runs"] == [])
            #expect(try await c.user.send(.get, "/v1/runs?limit=1").json["runs"]?.arrayValue?.count == 1)
        }
    }

    @Test(arguments: [
        (#"{"policy": "nope", "project": "demo", "prompt": "x"}"#, "unknown_run_policy"),
        (#"{"policy": "quick", "project": "elsewhere", "prompt": "x"}"#, "unknown_project"),
        (#"{"policy": "quick", "project": "demo", "prompt": ""}"#, "invalid_body"),
        (#"{"policy": "quick", "project": "demo"}"#, "invalid_body"),
        (#"{"policy": "quick", "project": "demo", "prompt": "x", "fanout": 0}"#, "invalid_body"),
        (#"{"policy": "quick", "project": "demo", "prompt": "x", "fanout": 17}"#, "invalid_body"),
        (#"{"policy": "quick", "project": "demo", "prompt": "x", "fanout": "2"}"#, "invalid_body"),
        (#"{"policy": "quick", "project": "demo", "prompt": "x", "path": "/etc"}"#, "invalid_body"),
        (#"[1]"#, "invalid_body"),
    ])
    func aBadRequestIsRefusedWithItsCodeAndNothingIsStored(body: String, code: String) async throws {
        try await BrokerFixture.withRouter { c in
            let answer = try await c.agent.send(.post, "/v1/runs", body: body)
            #expect(answer.status == .badRequest && answer.json["error"]?["code"]?.stringValue == code, "\(answer.json)")
            #expect(try await c.agent.send(.get, "/v1/runs").json["runs"] == [])
        }
    }

    @Test func anAutoDenyPolicyAnswers403AndTheDenialIsStoredAndAudited() async throws {
        try await BrokerFixture.withRouter { c in
            let answer = try await Self.start(c, policy: "never")
            #expect(answer.status == .forbidden && answer.signed)
            #expect(answer.json["runs"]?.arrayValue?.first?["status"] == "denied")
            let audit = try await c.agent.send(.get, "/v1/audit?action=run").json["entries"]?.arrayValue ?? []
            #expect(audit.first?["event"] == "run.submitted" && audit.first?["outcome"] == "denied")
        }
    }

    @Test func aQueuedStartIsARequestOfTheBuiltInRunActionAndItsDenialEndsTheRun() async throws {
        try await BrokerFixture.withRouter { c in
            let run = try #require(try await Self.start(c, policy: "careful").json["runs"]?.arrayValue?.first)
            #expect(run["status"] == "pending")
            let request = try #require(run["request"]?.stringValue)
            let queue = try await c.user.send(.get, "/v1/queue").json["pending"]?.arrayValue ?? []
            #expect(queue.first?["action"] == "run" && queue.first?["params"]?["prompt"] == "Fix it.")
            #expect(try await c.user.send(.post, "/v1/actions/\(request)/deny", body: #"{"reason": "not today"}"#).status == .ok)
            let id = try #require(run["id"]?.stringValue)
            let denied = await eventually { (try? await c.agent.send(.get, "/v1/runs/\(id)").json["status"]) == "denied" }
            #expect(denied)
            let reason = try await c.agent.send(.get, "/v1/runs/\(id)").json["reason"]?.stringValue ?? ""
            #expect(reason.contains("not today"), "\(reason)")
        }
    }

    @Test func runIsNeitherSubmittedNorListedAsAnAction() async throws {
        try await BrokerFixture.withRouter { c in
            let answer = try await c.agent.send(.post, "/v1/actions", body: #"{"action": "run", "policy": "quick", "project": "demo", "prompt": "x", "fanout": 1}"#)
            #expect(answer.status == .badRequest && (answer.json["error"]?["message"]?.stringValue ?? "").contains("POST /v1/runs"))
            let listing = try await c.agent.send(.post, "/v1/actions", body: #"{"action": "list-actions"}"#)
            let names = listing.json["result"]?["actions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(!names.isEmpty && !names.contains("run"))
        }
    }

    @Test func aQueuedRunIsCancelledOnceAndAMessageNeedsAFinishedAttempt() async throws {
        try await BrokerFixture.withRouter { c in
            let id = try #require(try await Self.start(c).json["runs"]?.arrayValue?.first?["id"]?.stringValue)
            #expect(try await c.agent.send(.post, "/v1/runs/\(id)/messages", body: #"{"prompt": "more"}"#).status == .conflict)
            let cancelled = try await c.user.send(.post, "/v1/runs/\(id)/cancel")
            #expect(cancelled.status == .ok && cancelled.json["status"] == "cancelled" && cancelled.json["reason"] == "cancelled by user")
            #expect(try await c.agent.send(.post, "/v1/runs/\(id)/cancel").status == .conflict)
            #expect(try await c.agent.send(.post, "/v1/runs/\(id)/messages", body: #"{"prompt": "more"}"#).status == .conflict)
        }
    }

    @Test func anAttemptsCredentialActsForItsRunOnlyAndNotAtAllOnceRevoked() async throws {
        try await BrokerFixture.withRouter { c in
            let other = try await c.agent.send(.post, "/v1/actions", body: #"{"action": "noop"}"#).json["id"]?.stringValue
            let credential = c.broker.runCredentials.mint(run: "r1", attempt: 1, submitter: "agent")
            let attempt = SignedTestClient(client: c.agent.client, user: credential.keyID, secret: credential.secret)
            let submitted = try await attempt.send(.post, "/v1/actions", body: #"{"action": "noop"}"#)
            #expect(submitted.status == .ok && submitted.signed, "answered and signed for the attempt's keyid")
            let id = try #require(submitted.json["id"]?.stringValue)
            let record = try await c.agent.send(.get, "/v1/actions/\(id)")
            #expect(record.json["run"] == "r1" && record.json["submitter"] == "agent")
            #expect(try await attempt.send(.get, "/v1/actions/\(id)").status == .ok)
            #expect(try await attempt.send(.get, "/v1/actions/\(try #require(other))").status == .notFound, "not the run's own")
            for (method, target) in [
                (HTTPRequest.Method.get, "/v1/queue"), (.get, "/v1/runs"), (.get, "/v1/audit"), (.get, "/v1/grants"),
                (.post, "/v1/actions/\(id)/approve"), (.get, "/v1/events"), (.get, "/v1/status"),
            ] {
                let answer = try await attempt.send(method, target, body: method == .post ? "{}" : nil)
                #expect(answer.status == .forbidden, "\(method) \(target): \(answer.status)")
            }
            c.broker.runCredentials.revoke(credential.keyID)
            let after = try await attempt.send(.get, "/v1/actions/\(id)")
            #expect(after.status == .unauthorized && after.json["error"]?["code"] == "unknown_key")
        }
    }

    @Test(arguments: [
        ("POST", "/v1/actions", true), ("GET", "/v1/actions/abc", true), ("DELETE", "/v1/actions/abc", true),
        ("GET", "/v1/actions", false), ("POST", "/v1/actions/abc/approve", false), ("POST", "/v1/actions/abc/deny", false),
        ("GET", "/v1/actions/", false), ("POST", "/v1/runs", false), ("GET", "/v1/queue", false), ("PUT", "/v1/actions", false),
        ("GET", "/v1/actions/abc/x", false),
    ])
    func theScopeOfAnAttemptsCredential(method: String, path: String, allowed: Bool) {
        #expect(RunScope.allows(method: method, path: path) == allowed)
    }
}
