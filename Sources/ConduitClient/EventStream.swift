import AsyncHTTPClient
import ConduitCore
import Foundation
import NIOCore
import NIOHTTP1

extension ConduitHTTPClient {
    /// Opens `GET /v1/events` (or another event stream, `target`: a run's, `/v1/runs/{id}/events`)
    /// and returns its events as they arrive, once the answer's signature
    /// (over `@status` and `content-type`) verified for this request. With `lastEventID`, the server
    /// first replays what came after it. The sequence ends when the server closes the stream, and
    /// throws ``ClientError/unreachable(_:)`` if the connection fails. `onComment` receives comment
    /// lines (the server's heartbeats), for callers that watch the connection's liveness.
    public func events(
        target: String = "/v1/events", lastEventID: String? = nil, onComment: (@Sendable (String) -> Void)? = nil
    ) async throws(ClientError) -> AsyncThrowingStream<ServerSentEvent, any Error> {
        var (request, nonce) = try signedRequest(method: "GET", target: target, accept: "text/event-stream")
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, timeout: .hours(24 * 365))
        } catch {
            throw .cannotReach(serverURL, error)
        }
        let status = Int(response.status.code)
        var fields: [String: [String]] = [:]
        for header in response.headers { fields[header.name.lowercased(), default: []].append(header.value) }
        guard status == 200 else {
            let bytes = (try? await response.body.collect(upTo: 1024 * 1024)).map { Array(buffer: $0) } ?? []
            if fields["signature"] != nil {
                try? ResponseSignature.verify(
                    status: status, fields: fields, body: bytes, user: credentials.user, nonce: nonce, key: credentials.key)
            }
            let answer = ConduitResponse(status: status, body: bytes, verified: false)
            if status == 401 { throw .signatureRefused(user: credentials.user, answer) }
            if status == 404 { throw .usage(answer.errorMessage ?? "not found") }
            let message = answer.errorMessage ?? "status \(status)"
            throw .unreachable("the event stream was refused: \(message)")
        }
        do {
            try ResponseSignature.verifyStream(
                status: status, fields: fields, user: credentials.user, nonce: nonce, key: credentials.key)
        } catch {
            throw .authentication("the event stream's signature does not verify: \(error)")
        }
        guard fields["content-type"]?.first?.hasPrefix("text/event-stream") == true else {
            throw .authentication("the event stream is not text/event-stream")
        }
        let body = response.body
        return AsyncThrowingStream { continuation in
            let reader = Task {
                var parser = ServerSentEventParser()
                do {
                    for try await chunk in body {
                        let events = parser.consume(chunk.readableBytesView) { onComment?($0) }
                        for event in events { continuation.yield(event) }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: ClientError.unreachable("the event stream broke: \(error)"))
                }
            }
            continuation.onTermination = { _ in reader.cancel() }
        }
    }
}
