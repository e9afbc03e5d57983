import ConduitCore
import Foundation
import Hummingbird
import NIOCore

/// Builds JSON responses from exact body bytes, signed on the spot when a signer is given.
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ value: JSONValue, signer: ResponseSigner? = nil) throws -> Response {
        let bytes = Array(value.serialized())
        var headers: HTTPFields = [.contentType: "application/json"]
        try signer?.sign(status: status, body: bytes, headers: &headers)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Signs the answers to one authenticated request with its user's key, echoing its nonce.
public struct ResponseSigner: Sendable {
    let identity: AuthenticatedRequest
    let key: [UInt8]

    /// Adds `Content-Digest`, `Signature-Input` and `Signature` for `body` to `headers`.
    func sign(status: HTTPResponse.Status, body: [UInt8], headers: inout HTTPFields) throws {
        let signed = try ResponseSignature.sign(
            status: Int(status.code), body: body, for: identity, key: key, now: Int64(Date().timeIntervalSince1970))
        headers[.contentDigest] = signed.contentDigest
        headers[.signatureInput] = signed.signature.signatureInput
        headers[.signature] = signed.signature.signature
    }

    /// Adds the signature fields for a streamed answer (covering `@status` and `content-type`).
    func signStream(status: HTTPResponse.Status, headers: inout HTTPFields) throws {
        let signature = try ResponseSignature.signStream(
            status: Int(status.code), contentType: headers[.contentType] ?? "", for: identity, key: key,
            now: Int64(Date().timeIntervalSince1970))
        headers[.signatureInput] = signature.signatureInput
        headers[.signature] = signature.signature
    }

    /// Signs a response built elsewhere, reading its body first (responses here are small).
    func sign(_ response: Response) async throws -> Response {
        let sink = CollectingBodyWriter.BufferSink()
        try await response.body.write(CollectingBodyWriter(sink: sink))
        let bytes = Array(buffer: sink.buffer)
        var headers = response.headers
        try sign(status: response.status, body: bytes, headers: &headers)
        return Response(status: response.status, headers: headers, body: ResponseBody(byteBuffer: sink.buffer))
    }
}

/// Gathers a response body into one buffer.
struct CollectingBodyWriter: ResponseBodyWriter {
    let sink: BufferSink

    final class BufferSink: @unchecked Sendable {
        var buffer = ByteBuffer()
    }

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        sink.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
