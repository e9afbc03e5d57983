import ConduitCore
import Foundation
import GRDB

/// Accepted requests, stored in SQLite.
public struct ActionRecordStore: Sendable {
    let database: ConduitDatabase

    public init(database: ConduitDatabase) {
        self.database = database
    }

    /// Inserts or replaces a record; returns once it is committed.
    public func save(_ record: ActionRecord) async throws {
        try await database.writer.write { db in
            try ActionRecordRow(record).save(db)
        }
    }

    /// The record with `id`.
    public func record(id: String) async throws -> ActionRecord? {
        try await database.writer.read { db in
            try ActionRecordRow.fetchOne(db, key: id)?.record
        }
    }

    /// Marks every request left `running` by a crash as `failed` (interrupted); never re-runs one.
    /// Returns how many were marked. Call once at start, before serving.
    @discardableResult
    public func failInterruptedRequests(at date: Date = Date()) async throws -> Int {
        try await database.writer.write { db in
            try ActionRecordRow
                .filter(Column("status") == ActionStatus.running.rawValue)
                .updateAll(
                    db, Column("status").set(to: ActionStatus.failed.rawValue),
                    Column("reason").set(to: "interrupted: the server stopped while the command ran"),
                    Column("finished").set(to: date.timeIntervalSince1970))
        }
    }

    /// How many records are stored.
    public func count() async throws -> Int {
        try await database.writer.read { db in try ActionRecordRow.fetchCount(db) }
    }
}

/// The table row: JSON columns hold `params` and `result`, dates are Unix seconds.
struct ActionRecordRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "action_record"

    var id: String
    var action: String
    var submitter: String
    var params: String
    var status: String
    var created: Double
    var decidedBy: String?
    var decided: Double?
    var reason: String?
    var result: String?
    var finished: Double?

    init(_ record: ActionRecord) {
        id = record.id
        action = record.action
        submitter = record.submitter
        params = String(decoding: JSONValue.object(record.params).serialized(), as: UTF8.self)
        status = record.status.rawValue
        created = record.created.timeIntervalSince1970
        decidedBy = record.decidedBy
        decided = record.decided?.timeIntervalSince1970
        reason = record.reason
        result = record.result.map { String(decoding: $0.serialized(), as: UTF8.self) }
        finished = record.finished?.timeIntervalSince1970
    }

    var record: ActionRecord {
        var paramValues: [String: JSONValue] = [:]
        if case .object(let members) = try? JSONValue.parse(Array(params.utf8)) { paramValues = members }
        return ActionRecord(
            id: id, action: action, submitter: submitter, params: paramValues,
            status: ActionStatus(rawValue: status) ?? .failed, created: Date(timeIntervalSince1970: created),
            decidedBy: decidedBy, decided: decided.map(Date.init(timeIntervalSince1970:)), reason: reason,
            result: result.flatMap { try? JSONValue.parse(Array($0.utf8)) },
            finished: finished.map(Date.init(timeIntervalSince1970:)))
    }
}
