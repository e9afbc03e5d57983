import ConduitCore
import ConduitStore
import Foundation
import Logging

extension ActionBroker {
    // MARK: Expiry and grants

    /// Marks overdue pending requests `expired`; returns how many.
    @discardableResult
    public func expireDue(now: Date? = nil) async throws -> Int {
        try await store.expirePending(now: now).count
    }

    /// Active grants `user` made, or may see (those about themselves or submitters they may decide for).
    public func grants(for user: String) async throws -> [Grant] {
        let secrets = state.snapshot.secrets
        return try await store.activeGrants().filter {
            $0.approver == user || secrets.maySee($0.submitter, user: user)
        }
    }

    /// Revokes grant `id`: its approver or anyone who may decide for its submitter may.
    public func revokeGrant(id: String, by user: String) async throws -> Grant {
        let secrets = state.snapshot.secrets
        guard let grant = try await store.grant(id: id),
            grant.approver == user || secrets.maySee(grant.submitter, user: user)
        else { throw DecisionError.notFound }
        guard grant.approver == user || secrets.canApprove(user, submitter: grant.submitter) else {
            throw DecisionError.forbidden("only \(grant.approver) or another approver of \(grant.submitter) may revoke it")
        }
        guard let revoked = try await store.revokeGrant(id: id, by: user) else { throw DecisionError.notFound }
        return revoked
    }

    /// The answer of `list-actions`.
}
