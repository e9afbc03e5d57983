import Foundation
import GRDB
import Synchronization

/// The database could not store or read what it had to: the disk is full, or the file cannot be
/// written or read at all. The broker answers 507 `storage_full` or 503 `storage_unavailable`, logs
/// it, and shows it in `/v1/status` and `/metrics` — never a bare 500 while saying "ok".
public struct StorageFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// No space left (SQLITE_FULL).
        case full
        /// The file cannot be read or written (I/O error, read-only, cannot open, damaged, locked).
        case unavailable
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String {
        switch kind {
        case .full: "the database's disk is full (\(message)); nothing was stored — free space and try again"
        case .unavailable: "the database cannot be written or read (\(message)); nothing was stored"
        }
    }

    /// The storage failure `error` is, if it is one (a constraint violation, say, is not).
    public static func classify(_ error: any Error) -> StorageFailure? {
        if let failure = error as? StorageFailure { return failure }
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode {
        case .SQLITE_FULL:
            return StorageFailure(kind: .full, message: error.message ?? "database or disk is full")
        case .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_PROTOCOL,
            .SQLITE_PERM, .SQLITE_BUSY, .SQLITE_LOCKED:
            return StorageFailure(kind: .unavailable, message: error.message ?? "\(error.resultCode)")
        default:
            return nil
        }
    }
}

/// What the store has seen of its storage lately: the last failure, and whether a write has
/// succeeded since (so `/v1/status` says "failing" only while it is).
public final class StorageHealth: Sendable {
    private struct State {
        var lastFailure: (at: Date, failure: StorageFailure)?
        var lastSuccess: Date?
        var failures: [StorageFailure.Kind: Int] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    func recordSuccess(at now: Date = Date()) {
        state.withLock { $0.lastSuccess = now }
    }

    func record(_ failure: StorageFailure, at now: Date = Date()) {
        state.withLock { state in
            state.lastFailure = (now, failure)
            state.failures[failure.kind, default: 0] += 1
        }
    }

    /// The failure in force: the last one, unless a write succeeded after it.
    public var currentFailure: (at: Date, failure: StorageFailure)? {
        state.withLock { state in
            guard let last = state.lastFailure else { return nil }
            if let success = state.lastSuccess, success > last.at { return nil }
            return last
        }
    }

    /// How many storage failures of each kind since the start.
    public var failureCounts: [StorageFailure.Kind: Int] { state.withLock { $0.failures } }
}
