import GRDB
import Logging
import Synchronization

/// Copies the write-ahead log back into the database file on a connection and thread of its own.
///
/// A `PASSIVE` checkpoint runs beside the writer (SQLite's checkpoint lock is not its write lock):
/// commits go on while pages are copied and the file is synced. SQLite's automatic checkpoint
/// stays on at a higher threshold (``ConduitDatabase/autocheckpointPages``) as a backstop, should
/// this one fall behind. Requests while one runs are folded into it.
final class Checkpointer: Sendable {
    private let connection: DatabaseQueue
    private let thread = SerialThread(name: "conduit-checkpoint", niceness: 10)
    private let pending = Atomic(false)
    private let logger = Logger(label: "conduit.store")

    /// A connection of its own to the database file `database` (in WAL mode). Nil for `:memory:`
    /// (no file to checkpoint), or when the connection cannot be opened: SQLite's own checkpoint
    /// then does the work, inside commits, as before.
    init?(database: String) {
        guard database != ":memory:" else { return nil }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        guard let connection = try? DatabaseQueue(path: database, configuration: configuration) else { return nil }
        self.connection = connection
    }

    /// Asks for a checkpoint soon; returns at once.
    func request() {
        guard !pending.exchange(true, ordering: .acquiringAndReleasing) else { return }
        thread.run { [self] in
            pending.store(false, ordering: .releasing)
            do {
                try connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            } catch {
                // Not a write of anyone's: the next request, or SQLite's own checkpoint, tries again.
                logger.warning("write-ahead log checkpoint failed: \(error)")
            }
        }
    }

    /// Ends the thread once a running checkpoint is done.
    func stop() { thread.stop() }
}
