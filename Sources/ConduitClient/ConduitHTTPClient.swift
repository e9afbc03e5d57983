import AsyncHTTPClient
import ConduitCore
import Foundation
import NIOCore
import NIOHTTP1

/// Signs requests to the broker (RFC 9421, hmac-sha256) and verifies that each answer is signed
/// for that very request: same user, same nonce, `tag="conduit-response"`.
///
/// Only two unsigned answers are passed on, as the protocol allows: 401 (authentication refused)
/// and 413 (body refused before authentication). Any other unsigned or badly signed answer is an
/// ``ClientError/authentication(_:)`` error.
public struct ConduitHTTPClient: Sendable {
    /// The broker's base URL, e.g. `http://127.0.0.1:3015`.
    public let serverURL: URL
    public let credentials: ClientCredentials
    let httpClient: HTTPClient
    /// The longest a single request may take.
    public var timeout: TimeAmount
    /// When set, no request of this client lasts past it: each ends at the earlier of its own
    /// ``timeout`` and this instant (see ``bounded(by:)``). One deadline bounds a whole exchange —
    /// submit, every `?wait=` and the withdrawal — whatever the broker does.
    public var deadline: NIODeadline?

    /// - Parameter httpClient: from ``makeHTTPClient(connectTimeout:)``; the caller shuts it down.
    public init(
        serverURL: String, credentials: ClientCredentials, httpClient: HTTPClient, timeout: TimeAmount = .seconds(330)
    ) throws(ClientError) {
        guard let url = URL(string: serverURL), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host != nil
        else {
            throw .usage("invalid server URL \"\(serverURL)\"; expected e.g. http://127.0.0.1:3015")
        }
        self.serverURL = url
        self.credentials = credentials
        self.httpClient = httpClient
        self.timeout = timeout
    }

    /// The `host[:port]` this client signs as `@authority` and sends as `Host`.
    public var authority: String {
        var host = serverURL.host ?? ""
        if host.contains(":"), !host.hasPrefix("[") { host = "[\(host)]" }
        guard let port = serverURL.port else { return host.lowercased() }
        let isDefault = (serverURL.scheme == "http" && port == 80) || (serverURL.scheme == "https" && port == 443)
        return isDefault ? host.lowercased() : "\(host.lowercased()):\(port)"
    }

    /// Submits an action request (`POST /v1/actions`).
    public func submit(_ request: JSONValue) async throws(ClientError) -> ConduitResponse {
        try await send(method: "POST", target: "/v1/actions", body: Array(request.serialized()))
    }

    /// Sends one signed request. `target` is the raw path and query, e.g. `/v1/actions/ID`.
    public func send(method: String, target: String, body: [UInt8]? = nil) async throws(ClientError) -> ConduitResponse {
        let (request, nonce) = try signedRequest(method: method, target: target, body: body)
        let requestDeadline = min(NIODeadline.now() + timeout, deadline ?? .distantFuture)
        guard requestDeadline > .now() else {
            throw .unreachable("no time left to ask \(serverURL.absoluteString) (the deadline has passed)")
        }
        let response: HTTPClientResponse
        let bytes: [UInt8]
        do {
            let httpClient = self.httpClient
            (response, bytes) = try await Self.finish(before: requestDeadline) {
                let response = try await httpClient.execute(request, deadline: requestDeadline)
                return (response, Array(buffer: try await response.body.collect(upTo: 16 * 1024 * 1024)))
            }
        } catch {
            throw .cannotReach(serverURL, error)
        }
        let status = Int(response.status.code)
        var fields: [String: [String]] = [:]
        for header in response.headers { fields[header.name.lowercased(), default: []].append(header.value) }

        guard fields["signature"] != nil || fields["signature-input"] != nil else {
            let unsigned = ConduitResponse(status: status, body: bytes, verified: false)
            switch status {
            case 401:
                throw .signatureRefused(user: credentials.user, unsigned)
            case 413:
                return unsigned
            default:
                throw .authentication("the server's answer (\(status)) is not signed; refusing to trust it")
            }
        }
        do {
            try ResponseSignature.verify(
                status: status, fields: fields, body: bytes, user: credentials.user, nonce: nonce, key: credentials.key)
        } catch {
            throw .authentication("the server's answer does not verify: \(error)")
        }
        return ConduitResponse(status: status, body: bytes, verified: true)
    }

    /// A request signed for this client's user, and the nonce its answer must echo.
    func signedRequest(method: String, target: String, body: [UInt8]? = nil, accept: String? = nil)
        throws(ClientError) -> (HTTPClientRequest, String)
    {
        let nonce = MessageSigner.newNonce()
        var message = HTTPMessageComponents.request(method: method, target: target, authority: authority)
        var components = RequestAuthenticator.requiredComponents
        if let body {
            message.addField("content-digest", ContentDigest.headerValue(for: body))
            components.append("content-digest")
        }
        let parameters = SignatureParameters(
            components: components, created: Int64(Date().timeIntervalSince1970), nonce: nonce,
            keyid: credentials.user, alg: "hmac-sha256")
        let signature: SignatureHeaders
        do {
            signature = try MessageSigner.sign(message, parameters: parameters, key: credentials.key)
        } catch {
            throw .usage("cannot sign the request: \(error)")
        }
        var request = HTTPClientRequest(url: baseURL + target)
        request.method = HTTPMethod(rawValue: method)
        request.headers.replaceOrAdd(name: "Host", value: authority)
        request.headers.add(name: "Signature-Input", value: signature.signatureInput)
        request.headers.add(name: "Signature", value: signature.signature)
        if let accept { request.headers.add(name: "Accept", value: accept) }
        if let body, let digest = message.fieldValue("content-digest") {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Content-Digest", value: digest)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        return (request, nonce)
    }

    /// An HTTP client suited to the broker: a refused or failed connection is reported at once
    /// (no silent retries until the deadline), and connecting may take at most `connectTimeout`.
    /// The caller shuts it down (`try await client.shutdown()`).
    public static func makeHTTPClient(connectTimeout: TimeAmount = .seconds(5)) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = connectTimeout
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Runs `body` with a client that owns its own HTTP client, shut down afterwards.
    public static func withClient<Result: Sendable>(
        serverURL: String, credentials: ClientCredentials, _ body: (ConduitHTTPClient) async throws -> Result
    ) async throws -> Result {
        let httpClient = makeHTTPClient()
        do {
            let client = try ConduitHTTPClient(serverURL: serverURL, credentials: credentials, httpClient: httpClient)
            let result = try await body(client)
            try? await httpClient.shutdown()
            return result
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
    }

    /// This client with every request ending by `deadline` at the latest (an earlier one stays).
    public func bounded(by deadline: NIODeadline) -> ConduitHTTPClient {
        var copy = self
        copy.deadline = min(deadline, self.deadline ?? .distantFuture)
        return copy
    }

    /// Runs `work`, cancelling it at `deadline`: a connection that stalls in the middle of a body
    /// cannot hold the caller past it.
    static func finish<Value: Sendable>(
        before deadline: NIODeadline, _ work: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                let nanoseconds = max(0, (deadline - .now()).nanoseconds)
                try await Task.sleep(nanoseconds: UInt64(nanoseconds))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw HTTPClientError.deadlineExceeded }
            return value
        }
    }

    private var baseURL: String {
        var text = serverURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
