import ConduitCore
import ConduitStore
import Hummingbird

/// `GET /v1/audit`: the audit log as the caller may see it, newest first, a page at a time.
public struct AuditController: Sendable {
    let broker: ActionBroker

    public init(broker: ActionBroker) {
        self.broker = broker
    }

    /// Routes, to be added behind ``SignatureMiddleware``.
    public func addRoutes(to group: RouterGroup<ConduitRequestContext>) {
        group.get("audit", use: list)
    }

    /// `?user=&action=&status=&since=&until=&limit=&cursor=` → `{"entries": […], "next_cursor": N|null}`.
    /// The caller sees entries about themselves and about the submitters they may approve.
    @Sendable func list(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        var query = AuditQuery(visibleUsers: broker.visibleUsers(to: identity.user))
        let known: Set<String> = ["user", "action", "status", "since", "until", "limit", "cursor"]
        for (name, value) in request.uri.queryParameters {
            let name = String(name)
            let value = String(value)
            try PageQuery.requireKnown(name, among: known)
            switch name {
            case "user": query.user = value
            case "action": query.action = value
            case "status": query.status = value
            case "since", "until":
                guard let date = TimeArgument.parse(value) else {
                    throw DecisionError.invalid("\"\(name)\" must be ISO 8601 or Unix seconds, got \"\(value)\"")
                }
                if name == "since" { query.since = date } else { query.until = date }
            case "limit": query.limit = try PageQuery.limit(value)
            default:
                guard let cursor = Int64(value), cursor > 0 else {
                    throw DecisionError.invalid("\"cursor\" must be the next_cursor of a previous page")
                }
                query.before = cursor
            }
        }
        let entries = try await broker.auditEntries(matching: query)
        let next: JSONValue = entries.count == query.limit ? (entries.last.map { .integer($0.id) } ?? .null) : .null
        return try JSONResponse.make(
            .ok, ["entries": .array(entries.map(\.json)), "next_cursor": next], signer: context.responseSigner)
    }
}
