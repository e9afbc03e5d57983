import HTTPTypes
import Hummingbird

/// Refuses a request with more than one `Host` header field (400 `duplicate_host`).
///
/// A signature covers `@authority`, which comes from the first `Host`; a proxy or a log could read
/// another. One request names one host, so a second is never the client's honest intent.
struct SingleHostMiddleware: RouterMiddleware {
    typealias Context = ConduitRequestContext

    static let host = HTTPField.Name("Host")!

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // The HTTP/1 decoder moves the first Host into the authority; any further one stays a field.
        guard request.headers[values: Self.host].isEmpty else {
            throw APIError(
                status: .badRequest, code: "duplicate_host", message: "the request has more than one Host header field")
        }
        return try await next(request, context)
    }
}
