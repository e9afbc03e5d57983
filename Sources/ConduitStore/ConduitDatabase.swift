import Foundation
import GRDB

/// The broker's SQLite database: opened in WAL mode, migrated on open.
///
/// Every accepted request is written here before the server answers, so nothing it acknowledged
/// is lost when it stops, even with `kill -9`.
public struct ConduitDatabase: Sendable {
    let writer: any DatabaseWriter

    /// Opens (creating if needed) the database file at `path`, in WAL mode, and migrates it.
    /// The containing directory is created with mode 0700.
    public static func open(path: String) throws -> ConduitDatabase {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        return try ConduitDatabase(DatabasePool(path: path, configuration: configuration))
    }

    /// A private in-memory database, for tests.
    public static func inMemory() throws -> ConduitDatabase {
        try ConduitDatabase(DatabaseQueue())
    }

    init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// The schema, one migration per change; applied migrations are never edited.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: action records") { db in
            try db.create(table: "action_record") { table in
                table.primaryKey("id", .text)
                table.column("action", .text).notNull()
                table.column("submitter", .text).notNull()
                table.column("params", .text).notNull()
                table.column("status", .text).notNull().indexed()
                table.column("created", .double).notNull()
                table.column("decidedBy", .text)
                table.column("decided", .double)
                table.column("reason", .text)
                table.column("result", .text)
                table.column("finished", .double)
            }
        }
        return migrator
    }
}
