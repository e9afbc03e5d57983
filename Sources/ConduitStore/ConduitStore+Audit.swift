import ConduitCore
import Foundation
import GRDB

extension ConduitStore {
    /// Appends `entry` (its id and hashes are assigned here) in the next group commit.
    public func audit(_ entry: AuditEntry) async throws {
        guard auditing else { return }
        try await writer.write { db, _ in try Self.append(entry, db: db) }
    }

    /// Appends inside a running transaction: links to the last row's hash.
    static func append(_ entry: AuditEntry, db: Database) throws {
        // A cached statement: compiling this query for every row (parse, authorizer) was ~4 % of the
        // writer thread's time under load (perf, session 7).
        let head = try db.cachedStatement(sql: "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
        let previous = try String.fetchOne(head) ?? AuditChain.genesis
        let hash = AuditChain.hash(previous: previous, content: entry.content)
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO audit_log (timeMilliseconds, event, user, actor, action, requestID, outcome, detail, \
                previousHash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let values: [(any DatabaseValueConvertible)?] = [
            entry.timeMilliseconds, entry.event, entry.user, entry.actor, entry.action, entry.requestID, entry.outcome,
            entry.detail.compactText, previous, hash,
        ]
        try statement.execute(arguments: StatementArguments(values))
    }

    /// Entries with an id above `after` and, if given, at or after `since`, oldest first, at most `limit`.
    public func auditEntries(after: Int64 = 0, since: Date? = nil, limit: Int = 1000) async throws -> [AuditEntry] {
        let sinceMilliseconds = since.map { Int64(($0.timeIntervalSince1970 * 1000).rounded(.down)) } ?? Int64.min
        return try await database.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM audit_log WHERE id > ? AND timeMilliseconds >= ? ORDER BY id LIMIT ?",
                arguments: [after, sinceMilliseconds, limit]
            ).map(Self.entry)
        }
    }

    /// Walks the whole chain; returns how many rows verified, or throws the first break.
    ///
    /// Rows are read in order, in chunks; within a chunk each row's own hash is recomputed on every
    /// core (a row's hash needs only its content and the previous hash it stores), then the links
    /// are followed in order. The first break reported is the first in id order, as before.
    public func verifyAudit() async throws -> Int {
        try await database.writer.read { db in
            var previous = AuditChain.genesis
            var count = 0
            var chunk: [(entry: AuditEntry, detail: String)] = []
            chunk.reserveCapacity(Self.verifyChunk)
            func verify() throws {
                let intact = Self.hashesMatch(chunk)
                for (index, (entry, _)) in chunk.enumerated() {
                    guard entry.previousHash == previous else {
                        throw AuditChainBreak(id: entry.id, reason: "it does not follow the previous row (a row was removed, inserted or reordered)")
                    }
                    guard intact[index] else {
                        throw AuditChainBreak(id: entry.id, reason: "its content does not match its hash (it was edited)")
                    }
                    previous = entry.hash
                    count += 1
                }
                chunk.removeAll(keepingCapacity: true)
            }
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit_log ORDER BY id")
            while let row = try rows.next() {
                chunk.append((Self.entry(row, detail: .null), row["detail"]))
                if chunk.count == Self.verifyChunk { try verify() }
            }
            try verify()
            return count
        }
    }

    /// Rows per chunk of ``verifyAudit()``.
    static let verifyChunk = 8192

    /// Whether each row's stored hash is the hash of its content after the previous hash it stores,
    /// computed on every core.
    static func hashesMatch(_ rows: [(entry: AuditEntry, detail: String)]) -> [Bool] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        // Each worker writes only its own share of the indices.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: rows.count)
        defer { results.deallocate() }
        results.initialize(repeating: false)
        let share = (rows.count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker * share, to: min(rows.count, (worker + 1) * share), by: 1) {
                var entry = rows[index].entry
                entry.detail = Self.detail(rows[index].detail)
                results[index] = AuditChain.hash(previous: entry.previousHash, content: entry.content) == entry.hash
            }
        }
        return Array(results)
    }

    static func entry(_ row: Row) -> AuditEntry { entry(row, detail: detail(row["detail"])) }

    /// The stored `detail` text as JSON (text that does not parse stays a string, and so fails its hash).
    static func detail(_ text: String) -> JSONValue { (try? JSONValue.parse(Array(text.utf8))) ?? .string(text) }

    static func entry(_ row: Row, detail: JSONValue) -> AuditEntry {
        AuditEntry(
            id: row["id"], timeMilliseconds: row["timeMilliseconds"], event: row["event"], user: row["user"],
            actor: row["actor"], action: row["action"], requestID: row["requestID"], outcome: row["outcome"],
            detail: detail,
            previousHash: row["previousHash"], hash: row["hash"])
    }
}

/// What `GET /v1/audit` asks for.
public struct AuditQuery: Sendable, Equatable {
    /// Only entries about these users (the caller's visibility), never empty.
    public var visibleUsers: Set<String>
    public var user: String?
    public var action: String?
    /// Matches ``AuditEntry/outcome``.
    public var status: String?
    public var since: Date?
    public var until: Date?
    /// Only entries with a smaller id (the previous page's `next_cursor`).
    public var before: Int64?
    public var limit: Int

    public init(
        visibleUsers: Set<String>, user: String? = nil, action: String? = nil, status: String? = nil, since: Date? = nil,
        until: Date? = nil, before: Int64? = nil, limit: Int = 100
    ) {
        self.visibleUsers = visibleUsers
        self.user = user
        self.action = action
        self.status = status
        self.since = since
        self.until = until
        self.before = before
        self.limit = limit
    }
}

extension ConduitStore {
    /// Entries matching `query`, newest first.
    public func auditEntries(matching query: AuditQuery) async throws -> [AuditEntry] {
        guard !query.visibleUsers.isEmpty else { return [] }
        var conditions = ["user IN (\(Array(repeating: "?", count: query.visibleUsers.count).joined(separator: ", ")))"]
        var arguments = StatementArguments(query.visibleUsers.sorted())
        func add(_ condition: String, _ value: some DatabaseValueConvertible) {
            conditions.append(condition)
            arguments += [value]
        }
        if let user = query.user { add("user = ?", user) }
        if let action = query.action { add("action = ?", action) }
        if let status = query.status { add("outcome = ?", status) }
        if let since = query.since { add("timeMilliseconds >= ?", Int64((since.timeIntervalSince1970 * 1000).rounded(.up))) }
        if let until = query.until { add("timeMilliseconds <= ?", Int64((until.timeIntervalSince1970 * 1000).rounded(.down))) }
        if let before = query.before { add("id < ?", before) }
        arguments += [query.limit]
        let sql = "SELECT * FROM audit_log WHERE \(conditions.joined(separator: " AND ")) ORDER BY id DESC LIMIT ?"
        let finalArguments = arguments
        return try await database.writer.read { db in
            try Row.fetchAll(db, sql: sql, arguments: finalArguments).map(Self.entry)
        }
    }
}
