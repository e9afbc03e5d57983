import ConduitCore
import Hummingbird
import NIOCore

/// Builds JSON responses with exact body bytes, so they can be digested and signed.
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ value: JSONValue, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serialized())))
    }
}

/// Gathers a response body into one buffer (responses here are small JSON documents).
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

    /// The whole body of `response`.
    static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let sink = BufferSink()
        try await body.write(CollectingBodyWriter(sink: sink))
        return sink.buffer
    }
}
