import Foundation
import Synchronization

/// Notices when the database's `-wal` file is deleted (or replaced) under a running broker.
///
/// SQLite keeps writing into the unlinked file, so every commit still "succeeds" — and is lost when
/// the process ends. After each group commit the writer asks ``isIntact()``: the `-wal` path must
/// still name the file it named first. Once it does not, storage is failing for good (until a
/// restart reopens the database): nothing more is acknowledged.
final class WriteAheadLogWatch: Sendable {
    let path: String
    private let identity = Mutex<(device: UInt64, inode: UInt64)?>(nil)
    private let broken = Mutex(false)

    /// Watches `database`'s `-wal` file (nothing to watch for `:memory:`).
    init?(database: String) {
        guard database != ":memory:" else { return nil }
        path = database + "-wal"
    }

    /// Whether the `-wal` path still names the file SQLite writes. One `stat` per group commit.
    func isIntact() -> Bool {
        if broken.withLock({ $0 }) { return false }
        var info = stat()
        guard stat(path, &info) == 0 else {
            broken.withLock { $0 = true }
            return false
        }
        let current = (device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        let intact = identity.withLock { known in
            guard let known else {
                known = current
                return true
            }
            return known == current
        }
        if !intact { broken.withLock { $0 = true } }
        return intact
    }

    /// Whether a deletion was already seen (no system call).
    var isKnownBroken: Bool { broken.withLock { $0 } }

    /// Why writes stop being acknowledged.
    var failure: StorageFailure {
        StorageFailure(
            kind: .unavailable,
            message: "\(path) was deleted or replaced while the broker ran; writes since may be lost, so none is acknowledged — restart ccc-server")
    }
}
