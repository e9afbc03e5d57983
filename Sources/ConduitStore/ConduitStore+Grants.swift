import ConduitCore
import Foundation
import GRDB

extension ConduitStore {
    // MARK: Grants

    /// Stores a new grant.
    public func insertGrant(_ grant: Grant) async throws {
        try await writer.write { db, _ in try GrantRow(grant).insert(db) }
    }

    /// Active grants for exactly this submitter, action and parameters, newest first.
    public func activeGrants(submitter: String, action: String, params: [String: JSONValue], now: Date? = nil)
        async throws -> [Grant]
    {
        let now = now ?? clock.now()
        let key = Grant.key(for: params)
        return try await database.writer.read { db in
            try GrantRow
                .filter(Column("submitter") == submitter && Column("action") == action && Column("paramsKey") == key)
                .filter(Column("revoked") == nil && Column("expires") > now.timeIntervalSince1970)
                .order(Column("created").desc)
                .fetchAll(db)
                .map(\.grant)
        }
    }

    /// Every active grant, newest first (callers filter by who may see them).
    public func activeGrants(now: Date? = nil) async throws -> [Grant] {
        let now = now ?? clock.now()
        return try await database.writer.read { db in
            try GrantRow
                .filter(Column("revoked") == nil && Column("expires") > now.timeIntervalSince1970)
                .order(Column("created").desc)
                .fetchAll(db)
                .map(\.grant)
        }
    }

    /// The grant with `id`.
    public func grant(id: String) async throws -> Grant? {
        try await database.writer.read { db in try GrantRow.fetchOne(db, key: id)?.grant }
    }

    /// Revokes grant `id` (if not already revoked); returns it as it stands.
    public func revokeGrant(id: String, by user: String, now: Date? = nil) async throws -> Grant? {
        let now = now ?? clock.now()
        return try await writer.write { db, _ in
            guard var row = try GrantRow.fetchOne(db, key: id) else { return nil }
            if row.revoked == nil {
                row.revoked = now.timeIntervalSince1970
                row.revokedBy = user
                try row.update(db)
            }
            return row.grant
        }
    }
}
