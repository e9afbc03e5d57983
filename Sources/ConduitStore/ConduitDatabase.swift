import Foundation
import GRDB

/// The SQLite database: WAL mode for a file, schema kept current by GRDB's migrator.
public struct ConduitDatabase: Sendable {
    /// Where every write and read goes.
    let writer: any DatabaseWriter
    /// The file, or `:memory:`.
    public let path: String

    /// When SQLite checkpoints by itself, inside a commit: only should ``Checkpointer`` (which runs
    /// every ``GroupCommitWriter/checkpointEvery`` commits, beside the writer) fall behind.
    static let autocheckpointPages = 10_000

    /// Opens (creating if needed) the database at `path`, or an in-memory one for `:memory:`, and
    /// migrates it. Parent directories are created with mode 0700.
    public static func open(path: String) throws -> ConduitDatabase {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(autocheckpointPages)")
        }
        let writer: any DatabaseWriter
        if path == ":memory:" {
            writer = try DatabaseQueue(configuration: configuration)
        } else {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            writer = try DatabasePool(path: path, configuration: configuration)
        }
        try migrator.migrate(writer)
        return ConduitDatabase(writer: writer, path: path)
    }

    /// The schema's history. Never edit a shipped migration; add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: records, events, grants") { db in
            try db.create(table: "action_record") { table in
                table.primaryKey("id", .text)
                table.column("action", .text).notNull()
                table.column("description", .text).notNull()
                table.column("submitter", .text).notNull()
                table.column("params", .text).notNull()
                table.column("status", .text).notNull()
                table.column("created", .double).notNull()
                table.column("expires", .double)
                table.column("decisionKind", .text)
                table.column("decidedBy", .text)
                table.column("approver", .text)
                table.column("grantID", .text)
                table.column("decided", .double)
                table.column("reason", .text)
                table.column("result", .text)
                table.column("finished", .double)
            }
            try db.create(index: "action_record_status", on: "action_record", columns: ["status", "created"])
            try db.create(index: "action_record_submitter", on: "action_record", columns: ["submitter", "created"])
            try db.create(table: "event") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("kind", .text).notNull()
                table.column("time", .double).notNull()
                table.column("requestID", .text).notNull()
                table.column("submitter", .text).notNull()
                table.column("record", .text).notNull()
            }
            try db.create(table: "grant") { table in
                table.primaryKey("id", .text)
                table.column("approver", .text).notNull()
                table.column("submitter", .text).notNull()
                table.column("action", .text).notNull()
                table.column("paramsKey", .text).notNull()
                table.column("created", .double).notNull()
                table.column("expires", .double).notNull()
                table.column("sourceRequest", .text).notNull()
                table.column("revoked", .double)
                table.column("revokedBy", .text)
            }
            try db.create(index: "grant_lookup", on: "grant", columns: ["submitter", "action", "paramsKey"])
        }
        migrator.registerMigration("v2: append-only audit log") { db in
            try db.create(table: "audit_log") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("timeMilliseconds", .integer).notNull()
                table.column("event", .text).notNull()
                table.column("user", .text)
                table.column("actor", .text)
                table.column("action", .text)
                table.column("requestID", .text)
                table.column("outcome", .text).notNull()
                table.column("detail", .text).notNull()
                table.column("previousHash", .text).notNull()
                table.column("hash", .text).notNull()
            }
            try db.create(index: "audit_log_user", on: "audit_log", columns: ["user", "id"])
            // The application never changes a row; SQLite refuses it too.
            try db.execute(
                sql: """
                    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                    """)
        }
        // Which version of its action a request was queued under (issue 11: approval refuses a
        // request whose action was changed and reloaded since, so what runs is what was shown).
        migrator.registerMigration("v3: action fingerprint of each record") { db in
            try db.alter(table: "action_record") { table in table.add(column: "actionFingerprint", .text) }
        }
        migrator.registerMigration("v4: when each record's command was let start") { db in
            try db.alter(table: "action_record") { table in table.add(column: "started", .double) }
        }
        // Supervised runs of coding agents (issue 17): the run with its attempts, and its events,
        // which are kept as long as the run (a finished run's stream replays all of them).
        migrator.registerMigration("v5: runs and their events") { db in
            try db.create(table: "run") { table in
                table.primaryKey("id", .text)
                table.column("groupID", .text).notNull()
                table.column("policy", .text).notNull()
                table.column("project", .text).notNull()
                table.column("prompt", .text).notNull()
                table.column("submitter", .text).notNull()
                table.column("status", .text).notNull()
                table.column("created", .double).notNull()
                table.column("started", .double)
                table.column("finished", .double)
                table.column("reason", .text)
                table.column("result", .text)
                table.column("request", .text)
                table.column("followUp", .text)
                table.column("attempts", .text).notNull()
            }
            try db.create(index: "run_submitter", on: "run", columns: ["submitter", "created"])
            try db.create(index: "run_group", on: "run", columns: ["groupID"])
            try db.create(index: "run_status", on: "run", columns: ["status"])
            try db.create(index: "run_request", on: "run", columns: ["request"])
            try db.create(table: "run_event") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("run", .text).notNull()
                table.column("kind", .text).notNull()
                table.column("time", .double).notNull()
                table.column("data", .text).notNull()
            }
            try db.create(index: "run_event_run", on: "run_event", columns: ["run", "id"])
            // The run whose agent made a request (its tool calls), so the run's pending requests
            // can be found and withdrawn with it.
            try db.alter(table: "action_record") { table in table.add(column: "runID", .text) }
            try db.create(index: "action_record_run", on: "action_record", columns: ["runID", "status"])
        }
        return migrator
    }
}
