import ConduitCore
import ConduitStore
import Foundation

/// What the controllers read, asked of the broker rather than of its store and state directly.
extension ActionBroker {
    /// The users whose requests (and audit entries) `user` may see: themselves and those they may decide.
    func visibleUsers(to user: String) -> Set<String> {
        let secrets = state.snapshot.secrets
        return Set(secrets.userNames.filter { secrets.maySee($0, user: user) })
    }

    /// The users whose queued requests `user` may decide (their `canApprove` list), sorted.
    func submittersDecidable(by user: String) -> [String] {
        (state.snapshot.secrets.users[user]?.canApprove ?? []).sorted()
    }

    /// Audit entries matching `query` (whose `visibleUsers` the caller has set), newest first.
    func auditEntries(matching query: AuditQuery) async throws -> [AuditEntry] {
        try await store.auditEntries(matching: query)
    }

    /// The name `name` has in the loaded catalog, or `unknown` (a metrics label: never the caller's text).
    func catalogName(of name: String?) -> String {
        name.flatMap { state.snapshot.catalog[$0] }?.name ?? "unknown"
    }

    /// Calls `listener` with every event `user` may see, from now on, until canceled.
    func subscribeToEvents(for user: String, _ listener: @escaping @Sendable (PublishedEvent) -> Void) -> EventHub.Subscription {
        let visibility = VisibilityCache(user: user, state: state)
        return store.events.subscribe { published in
            if visibility.maySee(published.event.record.submitter) { listener(published) }
        }
    }

    /// Stored events after `id` that `user` may see, oldest first (at most `limit` read).
    func storedEvents(after id: Int64, for user: String, limit: Int) async throws -> [BrokerEvent] {
        let visibility = VisibilityCache(user: user, state: state)
        return try await store.events(after: id, limit: limit).filter { visibility.maySee($0.record.submitter) }
    }

    /// What `GET /v1/status` says about the broker's state.
    struct Status {
        var queueDepth: Int
        var actions: Int
        var users: Int
        var databasePath: String
        var databaseState: String
    }

    func status() async throws -> Status {
        let snapshot = state.snapshot
        return Status(
            queueDepth: try await store.pendingCount(), actions: snapshot.catalog.names.count,
            users: snapshot.secrets.userNames.count, databasePath: store.database.path, databaseState: await store.health())
    }
}
