import ConduitCore
import Foundation
import GRDB

extension ConduitStore {
    // MARK: Events

    /// Stored events with an id above `id`, oldest first, at most `limit`.
    public func events(after id: Int64, limit: Int = 10_000) async throws -> [BrokerEvent] {
        try await database.writer.read { db in
            try EventRow.filter(Column("id") > id).order(Column("id")).limit(limit).fetchAll(db).compactMap(\.event)
        }
    }

    /// Deletes events that are both older than `age` and not among the newest `keep`.
    @discardableResult
    public func pruneEvents(olderThan age: TimeInterval = 24 * 3600, keep: Int = 1000, now: Date? = nil) async throws
        -> Int
    {
        let now = now ?? clock.now()
        return try await writer.write { db, _ in
            try db.execute(
                sql: """
                    DELETE FROM event WHERE time < ? AND id <= (SELECT COALESCE(MAX(id), 0) FROM event) - ?
                    """, arguments: [now.timeIntervalSince1970 - age, keep])
            return db.changesCount
        }
    }

    /// Stores `record` (insert or replace) and appends events of `kinds` about it, in one transaction's
    /// `db`: what every state change does. Returns the events, for publishing after the commit.
    func write(_ record: ActionRecord, events kinds: [BrokerEvent.Kind], db: Database) throws -> [BrokerEvent] {
        try ActionRecordRow(record).write(db)
        return try appendEvents(kinds, record: record, db: db)
    }

    /// Stores one event of each kind about `record` (its JSON is serialised once for all of them).
    func appendEvents(_ kinds: [BrokerEvent.Kind], record: ActionRecord, db: Database) throws
        -> [BrokerEvent]
    {
        guard !kinds.isEmpty else { return [] }
        let time = clock.now()
        let text = record.json.compactText
        return try kinds.map { kind in
            var row = EventRow(kind: kind, time: time, record: record, text: text)
            try row.append(db)
            if auditing { try Self.append(AuditEntry.about(kind, record: record, at: time), db: db) }
            return BrokerEvent(id: row.id ?? 0, kind: kind, time: time, record: record)
        }
    }
}
