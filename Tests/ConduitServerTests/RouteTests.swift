import ConduitCore
import ConduitServer
import ConduitTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The HTTP API in process (no socket): status codes, bodies, signatures.
@Suite("HTTP routes")
struct RouteTests {
    func withBroker(
        bodyLimit: Int = ServerDefaults.bodyLimit,
        _ body: @escaping @Sendable (_ agent: SignedTestClient, _ user: SignedTestClient, _ fixture: BrokerFixture) async throws -> Void
    ) async throws {
        try await BrokerFixture.withRouter(bodyLimit: bodyLimit) { c in try await body(c.agent, c.user, c.fixture) }
    }

    @Test func healthzAnswersWithoutAuthenticationAndSaysNothingMore() async throws {
        try await withBroker { agent, _, _ in
            let response = try await agent.client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(try JSONValue.parse(Array(buffer: response.body)) == ["status": "ok"])
        }
    }

    @Test func listActionsIsAnAutoAcceptedActionAndTheAnswerIsSigned() async throws {
        try await withBroker { agent, _, _ in
            let answer = try await agent.send(.post, "/v1/actions", body: #"{"action": "list-actions"}"#)
            #expect(answer.status == .ok)
            #expect(answer.signed)
            #expect(answer.json["status"] == "completed")
            guard case .array(let actions) = answer.json["result"]?["actions"] else {
                Issue.record("no actions in \(answer.json)")
                return
            }
            let names = actions.compactMap { $0["name"]?.stringValue }
            #expect(names.contains("list-actions") && names.contains("echo"))
            let echo = actions.first { $0["name"] == "echo" }
            #expect(echo?["policy"] == "auto-accept")
            #expect(echo?["params"] == [["name": "text", "type": "string", "required": true, "description": ""]])
        }
    }

    @Test func anUnknownEndpointIs404InTheJSONErrorShape() async throws {
        try await withBroker { agent, _, _ in
            for (uri, method) in [("/v2/actions", HTTPRequest.Method.post), ("/nothing", .get)] {
                let response = try await agent.client.execute(uri: uri, method: method)
                #expect(response.status == .notFound)
                #expect(try JSONValue.parse(Array(buffer: response.body))["error"]?["code"] == "not_found")
            }
        }
    }

    @Test func anUnsignedRequestIs401WithAJSONErrorAndNoSignature() async throws {
        try await withBroker { agent, _, _ in
            let response = try await agent.client.execute(
                uri: "/v1/actions", method: .post, body: ByteBuffer(string: #"{"action":"noop"}"#))
            #expect(response.status == .unauthorized)
            #expect(response.headers[HTTPField.Name("Signature")!] == nil)
            let json = try JSONValue.parse(Array(buffer: response.body))
            #expect(json["error"]?["code"] == "missing_signature")
        }
    }

    @Test func aReplayedRequestIs401() async throws {
        try await withBroker { agent, _, _ in
            let first = try await agent.send(.post, "/v1/actions", body: #"{"action":"noop"}"#, nonce: "once")
            #expect(first.status == .ok)
            let again = try await agent.send(.post, "/v1/actions", body: #"{"action":"noop"}"#, nonce: "once")
            #expect(again.status == .unauthorized)
            #expect(again.json["error"]?["code"] == "replayed_nonce")
        }
    }

    @Test func aTamperedDigestIs401() async throws {
        try await withBroker { agent, _, _ in
            let answer = try await agent.send(.post, "/v1/actions", body: #"{"action":"noop"}"#) { headers in
                headers[HTTPField.Name("Content-Digest")!] = ContentDigest.headerValue(for: Array("other".utf8))
            }
            #expect(answer.status == .unauthorized)
            #expect(answer.json["error"]?["code"] == "invalid_signature")
        }
    }

    @Test func aStaleSignatureIs401() async throws {
        try await withBroker { agent, _, _ in
            let answer = try await agent.send(
                .post, "/v1/actions", body: #"{"action":"noop"}"#, created: Int64(Date().timeIntervalSince1970) - 60)
            #expect(answer.status == .unauthorized)
            #expect(answer.json["error"]?["code"] == "signature_too_old")
        }
    }

    @Test func aBodyAboveTheLimitIs413BeforeAuthentication() async throws {
        try await withBroker(bodyLimit: 100) { agent, _, _ in
            let big = #"{"action":"echo","text":"\#(String(repeating: "x", count: 200))"}"#
            let response = try await agent.client.execute(uri: "/v1/actions", method: .post, body: ByteBuffer(string: big))
            #expect(response.status == .contentTooLarge)
            #expect(try JSONValue.parse(Array(buffer: response.body))["error"]?["code"] == "body_too_large")
        }
    }

    @Test func badRequestsAre400WithTheOffendingParameterAndSigned() async throws {
        try await withBroker { agent, _, _ in
            let cases: [(String, String, String?)] = [
                (#"{"action":"nope"}"#, "unknown_action", "action"),
                (#"{"action":"echo"}"#, "missing_parameter", "text"),
                (#"{"action":"echo","text":"a","more":1}"#, "unknown_parameter", "more"),
                (#"{"action":"echo","text":{"a":1}}"#, "invalid_parameter_type", "text"),
                (#"{"action":"show-path","file":"/etc/passwd"}"#, "path_outside_volumes", "file"),
                (#"{"action":"ask","url":"file:///etc/passwd"}"#, "invalid_url", "url"),
                ("{not json", "invalid_json", nil),
            ]
            for (body, code, parameter) in cases {
                let answer = try await agent.send(.post, "/v1/actions", body: body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.signed)
                #expect(answer.json["error"]?["code"] == .string(code), "\(body)")
                #expect(answer.json["error"]?["parameter"] == parameter.map(JSONValue.string), "\(body)")
            }
        }
    }

    @Test func aDecisionOnlyAutoAcceptedActionCompletes() async throws {
        try await withBroker { agent, _, _ in
            let answer = try await agent.send(.post, "/v1/actions", body: #"{"action":"noop"}"#)
            #expect(answer.status == .ok)
            #expect(answer.json["status"] == "completed")
            #expect(answer.json["result"] == [:])
            #expect(answer.json["id"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func anAutoDeniedActionIs403WithAReason() async throws {
        try await withBroker { agent, _, _ in
            let answer = try await agent.send(.post, "/v1/actions", body: #"{"action":"forbidden"}"#)
            #expect(answer.status == .forbidden)
            #expect(answer.json["status"] == "denied")
            #expect(answer.json["reason"]?.stringValue?.contains("auto-deny") == true)
            #expect(answer.json["id"] != nil)
        }
    }

    @Test func aQueuedActionIs202AndItsRecordIsVisibleOnlyToItsSubmitterAndItsApprovers() async throws {
        try await withBroker { agent, user, _ in
            let answer = try await agent.send(.post, "/v1/actions", body: #"{"action":"ask","url":"https://example.com"}"#)
            #expect(answer.status == .accepted)
            #expect(answer.json["status"] == "pending")
            let id = try #require(answer.json["id"]?.stringValue)
            let mine = try await agent.send(.get, "/v1/actions/\(id)")
            #expect(mine.status == .ok)
            #expect(mine.json["submitter"] == "agent")
            #expect(mine.json["params"] == ["url": "https://example.com"])
            let approvers = try await user.send(.get, "/v1/actions/\(id)")
            #expect(approvers.status == .ok)
            #expect(approvers.json["expires"] != nil)
            let stranger = SignedTestClient(client: agent.client, user: "stranger", secret: BrokerFixture.strangerSecret)
            let theirs = try await stranger.send(.get, "/v1/actions/\(id)")
            #expect(theirs.status == .notFound)
            #expect(theirs.signed)
            let unknown = try await agent.send(.get, "/v1/actions/does-not-exist")
            #expect(unknown.status == .notFound)
        }
    }

    @Test func aHandlerRunsWithoutAShellAndItsOutputIsReturned() async throws {
        try await withBroker { agent, _, _ in
            let answer = try await agent.send(.post, "/v1/actions", body: #"{"action":"echo","text":"$(id); `id` | x"}"#)
            #expect(answer.json["status"] == "completed")
            #expect(answer.json["result"]?["exitCode"] == 0)
            #expect(answer.json["result"]?["stdout"] == "$(id); `id` | x\n")
        }
    }

    @Test func aPathParameterReachesTheHandlerAsTheHostPath() async throws {
        try await withBroker { agent, _, fixture in
            let answer = try await agent.send(.post, "/v1/actions", body: #"{"action":"show-path","file":"notes/a.txt"}"#)
            #expect(answer.json["result"]?["stdout"] == .string(fixture.hostDirectory + "/workspace/notes/a.txt\n"))
            let id = try #require(answer.json["id"]?.stringValue)
            let record = try await agent.send(.get, "/v1/actions/\(id)")
            #expect(record.json["params"] == ["file": "/workspace/notes/a.txt"])
        }
    }

    @Test func aNonZeroExitFails() async throws {
        try await withBroker { agent, _, _ in
            let answer = try await agent.send(.post, "/v1/actions", body: #"{"action":"fail"}"#)
            #expect(answer.status == .ok)
            #expect(answer.json["status"] == "failed")
            #expect(answer.json["result"]?["exitCode"] == 3)
            #expect(answer.json["result"]?["stderr"] == "oops\n")
            #expect(answer.json["reason"] == "exited with status 3: oops", "the handler's own words are the reason")
        }
    }

    @Test func aHandlerPastItsTimeoutIsKilledAndFails() async throws {
        try await withBroker { agent, _, _ in
            let started = ContinuousClock.now
            let answer = try await agent.send(.post, "/v1/actions", body: #"{"action":"slow"}"#)
            // Killed at its 1 s timeout, long before the 60 s sleep ends (slack for a loaded machine).
            #expect(ContinuousClock.now - started < .seconds(30))
            #expect(answer.json["status"] == "failed")
            #expect(answer.json["result"]?["timedOut"] == true)
        }
    }

    @Test func aProgramThatCannotStartFails() async throws {
        try await withBroker { agent, _, _ in
            let answer = try await agent.send(.post, "/v1/actions", body: #"{"action":"missing-program"}"#)
            #expect(answer.json["status"] == "failed")
            #expect(answer.json["result"]?["error"]?.stringValue?.contains("conduit-no-such-program") == true)
        }
    }

    @Test func capturedOutputIsCapped() async throws {
        try await withBroker { agent, _, _ in
            let answer = try await agent.send(.post, "/v1/actions", body: #"{"action":"chatty"}"#)
            #expect(answer.json["status"] == "completed")
            let stdout = try #require(answer.json["result"]?["stdout"]?.stringValue)
            #expect(stdout.utf8.count < 70 * 1024)
            #expect(stdout.hasSuffix("[truncated: 200000 bytes in all]"))
        }
    }
}
