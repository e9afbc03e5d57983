import ConduitCore
import Foundation
import GRDB

/// Records, events and grants in SQLite. Every write is durable when its method returns, and the
/// events it caused have been published on ``events``.
public final class ConduitStore: Sendable {
    public let database: ConduitDatabase
    /// Live events, published after each commit.
    public let events: EventHub
    /// Live run events, published after each commit that stored them.
    public let runEvents = RunEventHub()
    let writer: GroupCommitWriter
    /// Storage failures seen by writes, and whether one succeeded since.
    public var storageHealth: StorageHealth { writer.health }

    /// Whether events are written to the audit log. Only benchmarks turn it off, to measure its cost.
    public let auditing: Bool
    /// Where "now" comes from for everything this store dates or compares (and the broker on it).
    public let clock: any BrokerClock

    public init(database: ConduitDatabase, auditing: Bool = true, clock: any BrokerClock = SystemClock()) {
        let hub = EventHub()
        self.database = database
        self.auditing = auditing
        self.clock = clock
        self.events = hub
        self.writer = GroupCommitWriter(
            writer: database.writer, walWatch: WriteAheadLogWatch(database: database.path),
            checkpointer: Checkpointer(database: database.path), publish: { hub.publish($0) })
    }

    deinit { writer.stop() }

    /// A fresh in-memory store (tests, benchmarks).
    public static func inMemory(clock: any BrokerClock = SystemClock()) throws -> ConduitStore {
        ConduitStore(database: try .open(path: ":memory:"), clock: clock)
    }

    // MARK: Records

    /// Inserts or replaces `record`, appending events of `kinds` (in order) about it.
    public func save(_ record: ActionRecord, events kinds: [BrokerEvent.Kind] = []) async throws {
        try await writer.write { db, events in
            events += try self.write(record, events: kinds, db: db)
        }
    }

    /// Applies `change` to the record `id` only if its status is still `expected` (and, for pending
    /// records, it has not expired by `now`), storing `grant` (if any) in the same transaction and appending
    /// events of `kinds`. Two concurrent transitions from the same state: exactly one applies.
    /// - Returns: the updated record, or `.unchanged(current)` when it was not in that state
    ///   (`current` is nil for an unknown id).
    public func transition(
        id: String, from expected: ActionStatus, now: Date? = nil, events kinds: [BrokerEvent.Kind],
        grant: Grant? = nil,
        _ change: @escaping @Sendable (inout ActionRecord) -> Void
    ) async throws -> Transition {
        let now = now ?? clock.now()
        return try await writer.write { db, events in
            guard let row = try ActionRecordRow.fetchOne(db, key: id) else { return .unchanged(nil) }
            var record = row.record
            guard record.status == expected else { return .unchanged(record) }
            if expected == .pending, let expires = record.expires, expires <= now { return .unchanged(record) }
            change(&record)
            if let grant { try GrantRow(grant).insert(db) }
            events += try self.write(record, events: kinds, db: db)
            return .applied(record)
        }
    }

    /// The outcome of ``transition(id:from:now:events:grant:_:)``.
    public enum Transition: Sendable, Equatable {
        case applied(ActionRecord)
        case unchanged(ActionRecord?)
    }

    /// The record with `id`.
    public func record(id: String) async throws -> ActionRecord? {
        try await database.writer.read { db in try ActionRecordRow.fetchOne(db, key: id)?.record }
    }

    /// One page of the pending requests of `submitters` that have not expired by `now`, oldest first
    /// (by creation, then id), starting after the record `cursor` (the last id of the page before),
    /// with how many there are in all. `limit` is at least 1 and below `Int.max`.
    /// - Throws: ``PendingPage/UnknownCursor`` when `cursor` names no request.
    public func pendingPage(submittedBy submitters: Set<String>, after cursor: String? = nil, limit: Int, now: Date? = nil)
        async throws -> PendingPage
    {
        precondition(limit >= 1 && limit < Int.max, "a page holds at least one request")
        guard !submitters.isEmpty else { return PendingPage(records: [], total: 0, nextCursor: nil) }
        let now = (now ?? clock.now()).timeIntervalSince1970
        let names = Array(submitters)
        return try await database.writer.read { db in
            let due = Column("status") == ActionStatus.pending.rawValue && names.contains(Column("submitter"))
                && (Column("expires") == nil || Column("expires") > now)
            var page = ActionRecordRow.filter(due)
            if let cursor {
                guard let created = try Double.fetchOne(db, sql: "SELECT created FROM action_record WHERE id = ?", arguments: [cursor])
                else { throw PendingPage.UnknownCursor(cursor: cursor) }
                page = page.filter(Column("created") > created || (Column("created") == created && Column("id") > cursor))
            }
            let rows = try page.order(Column("created"), Column("id")).limit(limit + 1).fetchAll(db)
            let records = rows.prefix(limit).map(\.record)
            return PendingPage(
                records: records, total: try ActionRecordRow.filter(due).fetchCount(db),
                nextCursor: rows.count > limit ? records.last?.id : nil)
        }
    }

    /// Marks every pending request whose deadline is at or before `now` as `expired`. Returns them.
    @discardableResult
    public func expirePending(now: Date? = nil) async throws -> [ActionRecord] {
        let now = now ?? clock.now()
        return try await writer.write { db, events in
            let due = try ActionRecordRow
                .filter(Column("status") == ActionStatus.pending.rawValue)
                .filter(Column("expires") <= now.timeIntervalSince1970)
                .fetchAll(db)
            return try due.map { row in
                var record = row.record
                record.status = .expired
                record.finished = now
                let waited = Int((record.expires ?? now).timeIntervalSince(record.created).rounded())
                record.reason = "expired: nobody decided within \(waited) s"
                events += try self.write(record, events: [.expired], db: db)
                return record
            }
        }
    }

    /// How many requests are pending (the queue depth).
    public func pendingCount() async throws -> Int {
        try await database.writer.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM action_record WHERE status = ?", arguments: [ActionStatus.pending.rawValue]) ?? 0
        }
    }

    /// Whether the database answers a query and passes SQLite's quick check.
    /// Runs `PRAGMA quick_check`; throws when the file is damaged (the broker then refuses to
    /// start rather than serve garbage pages).
    public func checkIntegrity() async throws {
        let result = try await database.writer.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
        guard result == ["ok"] else {
            throw StorageFailure(
                kind: .unavailable,
                message: "\(database.path) is damaged (PRAGMA quick_check: \(result.prefix(3).joined(separator: "; "))); "
                    + "restore it from a backup, or move it aside to start with an empty one")
        }
    }

    public func health() async -> String {
        if let current = storageHealth.currentFailure {
            return "failing since \(ActionRecord.format(current.at)): \(current.failure.kind.rawValue): \(current.failure.message)"
        }
        do {
            let result = try await database.writer.read { db in try String.fetchOne(db, sql: "PRAGMA quick_check") }
            return result == "ok" ? "ok" : "damaged: \(result ?? "no answer")"
        } catch {
            return "unavailable: \(error)"
        }
    }

    /// The earliest deadline among pending requests.
    public func nextExpiry() async throws -> Date? {
        try await database.writer.read { db in
            try Double.fetchOne(
                db, sql: "SELECT MIN(expires) FROM action_record WHERE status = ?",
                arguments: [ActionStatus.pending.rawValue]
            ).map(Date.init(timeIntervalSince1970:))
        }
    }

    /// Marks every request left `running` by a stop as `failed` (interrupted); never re-runs one.
    /// Call once at start, before serving. Returns how many were marked.
    @discardableResult
    public func failInterruptedRequests(now: Date? = nil) async throws -> Int {
        let now = now ?? clock.now()
        return try await writer.write { db, events in
            let running = try ActionRecordRow.filter(Column("status") == ActionStatus.running.rawValue).fetchAll(db)
            for row in running {
                var record = row.record
                record.status = .failed
                record.reason = Self.interruption(of: record)
                record.finished = now
                events += try self.write(record, events: [.finished], db: db)
            }
            return running.count
        }
    }

    /// Why `record`, left `running` by a stop, failed: whether its command may have run. The start
    /// is recorded before the command may begin (ccc-tether waits for it), and the command is killed
    /// with the broker, so a record without `started` never ran.
    static func interruption(of record: ActionRecord) -> String {
        guard let started = record.started else {
            let since = record.decision.map { " (accepted at \(ActionRecord.format($0.at)))" } ?? ""
            return "interrupted: the server stopped after this request was accepted\(since) and before its command "
                + "started; it did not run, and was not run again"
        }
        return "interrupted: the server stopped while its command ran (started at \(ActionRecord.format(started))); "
            + "the command was ended with the server, so it may have run in part or to the end — check before "
            + "asking again; it was not run again"
    }

    /// How many records are stored.
    public func count() async throws -> Int {
        try await database.writer.read { db in try ActionRecordRow.fetchCount(db) }
    }
}
