import ConduitCore
import Foundation
import GRDB

extension ConduitStore {
    /// What happened in a run, to append with a change of it.
    public struct RunChange: Sendable {
        public var kind: RunEvent.Kind
        public var data: JSONValue

        public init(_ kind: RunEvent.Kind, _ data: JSONValue) {
            self.kind = kind
            self.data = data
        }
    }

    /// Stores `runs` (insert or replace), appends `changes` about the first of them and `audit`
    /// entries, in one transaction; then publishes the events on ``runEvents``. Returns them.
    ///
    /// Events of one run are published in the order of their ids only when that run's saves do not
    /// overlap: the broker changes each run from one place at a time (``RunSupervisor``).
    @discardableResult
    public func save(_ runs: [RunRecord], changes: [RunChange] = [], audit: [AuditEntry] = []) async throws -> [RunEvent] {
        guard let subject = runs.first else { return [] }
        let time = clock.now()
        let auditing = auditing
        let stored: [RunEvent] = try await writer.write { db, _ in
            for run in runs { try RunRow(run).save(db) }
            var events: [RunEvent] = []
            for change in changes {
                var row = RunEventRow(
                    id: nil, run: subject.id, kind: change.kind.rawValue, time: time.timeIntervalSince1970,
                    data: change.data.compactText)
                try row.insert(db)
                events.append(RunEvent(id: row.id ?? 0, run: subject.id, kind: change.kind, time: time, data: change.data))
            }
            if auditing { for entry in audit { try Self.append(entry, db: db) } }
            return events
        }
        runEvents.publish(stored)
        return stored
    }

    /// Stores `run` with `changes` about it (see ``save(_:changes:audit:)``).
    @discardableResult
    public func save(_ run: RunRecord, changes: [RunChange] = [], audit: [AuditEntry] = []) async throws -> [RunEvent] {
        try await save([run], changes: changes, audit: audit)
    }

    /// The run `id`.
    public func run(id: String) async throws -> RunRecord? {
        try await database.writer.read { db in try RunRow.fetchOne(db, key: id)?.record }
    }

    /// The run whose start waits on the approval request `request`.
    public func runs(awaitingRequest request: String) async throws -> [RunRecord] {
        try await database.writer.read { db in
            try RunRow.filter(Column("request") == request).order(Column("created"), Column("id")).fetchAll(db).compactMap(\.record)
        }
    }

    /// Runs in any of `statuses`, oldest first (what a start resumes or ends).
    public func runs(in statuses: Set<RunStatus>) async throws -> [RunRecord] {
        let names = statuses.map(\.rawValue)
        return try await database.writer.read { db in
            try RunRow.filter(names.contains(Column("status"))).order(Column("created"), Column("id")).fetchAll(db)
                .compactMap(\.record)
        }
    }

    /// One page of the runs of `submitters`, newest first, optionally of one group or status,
    /// after the run `cursor` (the last id of the page before).
    /// - Throws: ``RunPage/UnknownCursor`` when `cursor` names no run.
    public func runPage(
        submittedBy submitters: Set<String>, group: String? = nil, status: RunStatus? = nil, after cursor: String? = nil,
        limit: Int
    ) async throws -> RunPage {
        precondition(limit >= 1 && limit < Int.max, "a page holds at least one run")
        guard !submitters.isEmpty else { return RunPage(runs: [], nextCursor: nil) }
        let names = Array(submitters)
        return try await database.writer.read { db in
            var page = RunRow.filter(names.contains(Column("submitter")))
            if let group { page = page.filter(Column("groupID") == group) }
            if let status { page = page.filter(Column("status") == status.rawValue) }
            if let cursor {
                guard let created = try Double.fetchOne(db, sql: "SELECT created FROM run WHERE id = ?", arguments: [cursor])
                else { throw RunPage.UnknownCursor(cursor: cursor) }
                page = page.filter(Column("created") < created || (Column("created") == created && Column("id") < cursor))
            }
            let rows = try page.order(Column("created").desc, Column("id").desc).limit(limit + 1).fetchAll(db)
            let runs = rows.prefix(limit).compactMap(\.record)
            return RunPage(runs: runs, nextCursor: rows.count > limit ? runs.last?.id : nil)
        }
    }

    /// Stored events of run `id` after the event `after`, oldest first, at most `limit`.
    public func runEvents(of id: String, after: Int64 = 0, limit: Int = 10_000) async throws -> [RunEvent] {
        try await database.writer.read { db in
            try RunEventRow.filter(Column("run") == id && Column("id") > after).order(Column("id")).limit(limit).fetchAll(db)
                .compactMap(\.event)
        }
    }
}

/// One page of runs, newest first.
public struct RunPage: Sendable, Equatable {
    public var runs: [RunRecord]
    /// The id to pass as the next page's cursor; nil on the last page.
    public var nextCursor: String?

    public init(runs: [RunRecord], nextCursor: String?) {
        self.runs = runs
        self.nextCursor = nextCursor
    }

    /// A cursor that names no run.
    public struct UnknownCursor: Error, Equatable {
        public var cursor: String

        public init(cursor: String) {
            self.cursor = cursor
        }
    }
}
