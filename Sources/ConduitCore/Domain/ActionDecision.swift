import Foundation

/// Who or what decided a request, when, and how.
public struct ActionDecision: Sendable, Equatable {
    /// What kind of decider it was.
    public enum Kind: String, Sendable, Equatable {
        /// The action's own policy.
        case policy
        /// One of the action's rules.
        case rule
        /// A person with the right to decide for the submitter.
        case person
        /// A remembered grant, made earlier by a person.
        case grant
    }

    public var kind: Kind
    /// Words naming the decider: `policy auto-accept of edit-file`, `rule 0 (queue) of …`, `alice`,
    /// or `grant 3f… from alice`.
    public var by: String
    /// The person who decided (directly, or through their grant).
    public var approver: String?
    /// The grant that decided, for ``Kind/grant``.
    public var grantID: String?
    public var at: Date

    public init(kind: Kind, by: String, approver: String? = nil, grantID: String? = nil, at: Date) {
        self.kind = kind
        self.by = by
        self.approver = approver
        self.grantID = grantID
        self.at = at
    }
}
