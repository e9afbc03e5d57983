import ConduitCore
import ConduitServer
import ConduitTestSupport
import Foundation
import HTTPTypes
import Testing

/// Remembered approvals (grants) over HTTP: what they cover, who sees and revokes them, when they
/// stop applying.
@Suite("Grants API")
struct GrantRouteTests {
    @Test func aRememberedApprovalAcceptsIdenticalRequestsUntilRevoked() async throws {
        try await BrokerFixture.withRouter { c in
            let id = try await c.queue(#"{"action":"open-file","file":"hello.txt"}"#)
            let approved = try await c.user.send(.post, "/v1/actions/\(id)/approve", body: #"{"remember": 3600}"#)
            #expect(approved.status == .ok)
            // The same path written differently is the same request: accepted by the grant.
            let again = try await c.agent.send(.post, "/v1/actions", body: #"{"action":"open-file","file":"/workspace/./hello.txt"}"#)
            #expect(again.status == .ok, "\(again.json)")
            #expect(again.json["status"] == "completed")
            let againID = try #require(again.json["id"]?.stringValue)
            let record = try await c.agent.send(.get, "/v1/actions/\(againID)").json
            #expect(record["decision"]?["kind"] == "grant")
            #expect(record["decision"]?["approver"] == "user")
            let grantID = try #require(record["decision"]?["grant"]?.stringValue)
            // Different parameters are not covered.
            #expect(try await c.agent.send(.post, "/v1/actions", body: #"{"action":"open-file","file":"other.txt"}"#).status == .accepted)
            // Visible to its approver and the submitter, not to a stranger.
            #expect(try await c.user.send(.get, "/v1/grants").json["grants"]?.arrayValue?.count == 1)
            #expect(try await c.agent.send(.get, "/v1/grants").json["grants"]?.arrayValue?.count == 1)
            #expect(try await c.stranger.send(.get, "/v1/grants").json["grants"] == [])
            // The submitter may not revoke it; a stranger cannot see it; its approver may.
            #expect(try await c.agent.send(.delete, "/v1/grants/\(grantID)").status == .forbidden)
            #expect(try await c.stranger.send(.delete, "/v1/grants/\(grantID)").status == .notFound)
            #expect(try await c.user.send(.delete, "/v1/grants/\(grantID)").status == .ok)
            #expect(try await c.agent.send(.post, "/v1/actions", body: #"{"action":"open-file","file":"hello.txt"}"#).status == .accepted)
        }
    }

    @Test func aGrantStopsApplyingWhenItsApproverLosesTheRight() async throws {
        try await BrokerFixture.withRouter { c in
            let id = try await c.queue(#"{"action":"open-file","file":"hello.txt"}"#)
            #expect(try await c.user.send(.post, "/v1/actions/\(id)/approve", body: #"{"remember": 3600}"#).status == .ok)
            var secrets = c.fixture.state.snapshot.secrets
            try secrets.disallowApproval(approver: "user", submitter: "agent")
            c.fixture.state.replace(secrets: secrets)
            let again = try await c.agent.send(.post, "/v1/actions", body: #"{"action":"open-file","file":"hello.txt"}"#)
            #expect(again.status == .accepted, "\(again.json)")
        }
    }
}
