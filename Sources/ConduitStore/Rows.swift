import ConduitCore
import Foundation
import GRDB

/// `action_record`: JSON text for `params` and `result`, Unix seconds for dates.
struct ActionRecordRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "action_record"

    var id: String
    var action: String
    var description: String
    var submitter: String
    var params: String
    var status: String
    var created: Double
    var expires: Double?
    var decisionKind: String?
    var decidedBy: String?
    var approver: String?
    var grantID: String?
    var decided: Double?
    var reason: String?
    var result: String?
    var started: Double?
    var finished: Double?
    var actionFingerprint: String?
    var runID: String?

    init(_ record: ActionRecord) {
        runID = record.run
        actionFingerprint = record.actionFingerprint
        id = record.id
        action = record.action
        description = record.description
        submitter = record.submitter
        params = Grant.key(for: record.params)
        status = record.status.rawValue
        created = record.created.timeIntervalSince1970
        expires = record.expires?.timeIntervalSince1970
        decisionKind = record.decision?.kind.rawValue
        decidedBy = record.decision?.by
        approver = record.decision?.approver
        grantID = record.decision?.grantID
        decided = record.decision?.at.timeIntervalSince1970
        reason = record.reason
        result = record.result.map { $0.compactText }
        started = record.started?.timeIntervalSince1970
        finished = record.finished?.timeIntervalSince1970
    }

    /// Inserts or replaces the row through a cached statement (no Codable on the hot path:
    /// GRDB's record encoding cost more than SQLite itself).
    func write(_ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO action_record (id, action, description, submitter, params, status, created, \
                expires, decisionKind, decidedBy, approver, grantID, decided, reason, result, started, finished, \
                actionFingerprint, runID) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let values: [(any DatabaseValueConvertible)?] = [
            id, action, description, submitter, params, status, created, expires, decisionKind, decidedBy, approver,
            grantID, decided, reason, result, started, finished, actionFingerprint, runID,
        ]
        try statement.execute(arguments: StatementArguments(values))
    }

    var record: ActionRecord {
        var decision: ActionDecision?
        if let decisionKind, let kind = ActionDecision.Kind(rawValue: decisionKind), let decidedBy, let decided {
            decision = ActionDecision(
                kind: kind, by: decidedBy, approver: approver, grantID: grantID,
                at: Date(timeIntervalSince1970: decided))
        }
        return ActionRecord(
            id: id, action: action, description: description, submitter: submitter, params: Self.object(params),
            status: ActionStatus(rawValue: status) ?? .failed, created: Date(timeIntervalSince1970: created),
            expires: expires.map(Date.init(timeIntervalSince1970:)), decision: decision, reason: reason,
            result: result.flatMap { try? JSONValue.parse(Array($0.utf8)) },
            started: started.map(Date.init(timeIntervalSince1970:)), finished: finished.map(Date.init(timeIntervalSince1970:)),
            actionFingerprint: actionFingerprint, run: runID)
    }

    static func object(_ text: String) -> [String: JSONValue] {
        if case .object(let members) = try? JSONValue.parse(Array(text.utf8)) { return members }
        return [:]
    }
}

/// `event`: the record as it stood, as JSON text.
struct EventRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "event"

    var id: Int64?
    var kind: String
    var time: Double
    var requestID: String
    var submitter: String
    var record: String

    /// - Parameter text: `record.json`, serialised.
    init(kind: BrokerEvent.Kind, time: Date, record: ActionRecord, text: String) {
        self.kind = kind.rawValue
        self.time = time.timeIntervalSince1970
        requestID = record.id
        submitter = record.submitter
        self.record = text
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// Appends the row through a cached statement and sets ``id``.
    mutating func append(_ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO event (kind, time, requestID, submitter, record) VALUES (?, ?, ?, ?, ?)")
        try statement.execute(arguments: [kind, time, requestID, submitter, record])
        id = db.lastInsertedRowID
    }

    var event: BrokerEvent? {
        guard let id, let kind = BrokerEvent.Kind(rawValue: kind), let json = try? JSONValue.parse(Array(record.utf8)),
            let record = ActionRecord(json: json)
        else { return nil }
        return BrokerEvent(id: id, kind: kind, time: Date(timeIntervalSince1970: time), record: record)
    }
}

/// `grant`.
struct GrantRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "grant"

    var id: String
    var approver: String
    var submitter: String
    var action: String
    var paramsKey: String
    var created: Double
    var expires: Double
    var sourceRequest: String
    var revoked: Double?
    var revokedBy: String?

    init(_ grant: Grant) {
        id = grant.id
        approver = grant.approver
        submitter = grant.submitter
        action = grant.action
        paramsKey = Grant.key(for: grant.params)
        created = grant.created.timeIntervalSince1970
        expires = grant.expires.timeIntervalSince1970
        sourceRequest = grant.sourceRequest
        revoked = grant.revoked?.timeIntervalSince1970
        revokedBy = grant.revokedBy
    }

    var grant: Grant {
        Grant(
            id: id, approver: approver, submitter: submitter, action: action,
            params: ActionRecordRow.object(paramsKey), created: Date(timeIntervalSince1970: created),
            expires: Date(timeIntervalSince1970: expires), sourceRequest: sourceRequest,
            revoked: revoked.map(Date.init(timeIntervalSince1970:)), revokedBy: revokedBy)
    }
}
