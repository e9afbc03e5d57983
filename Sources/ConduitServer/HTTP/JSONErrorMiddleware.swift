import Hummingbird
import Logging

/// Outermost middleware: any error that escapes a route (an unknown path, a wrong method) is
/// answered in the API's JSON error shape rather than Hummingbird's default body.
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = ConduitRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return try JSONResponse.make(
                .notFound, APIError(status: .notFound, code: "not_found", message: "no such endpoint").json)
        } catch {
            let failure = APIError.answering(error, logger: context.logger)
            return try JSONResponse.make(failure.status, failure.json)
        }
    }
}
