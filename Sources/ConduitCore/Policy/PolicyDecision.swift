/// The outcome of policy evaluation and what produced it.
public struct PolicyDecision: Sendable, Equatable {
    public var policy: ActionPolicy
    public var source: Source

    public init(policy: ActionPolicy, source: Source) {
        self.policy = policy
        self.source = source
    }

    /// What decided: the action's own policy, or one of its rules (index in the file, 0-based).
    public enum Source: Sendable, Equatable {
        case actionPolicy
        case rule(index: Int, description: String?)
    }

    /// Words for records and logs, e.g. `policy auto-deny of open-browser` or `rule 1 of open-browser`.
    public func explanation(action: String) -> String {
        switch source {
        case .actionPolicy:
            return "policy \(policy.rawValue) of \(action)"
        case .rule(let index, let description):
            let suffix = description.map { " (\($0))" } ?? ""
            return "rule \(index) (\(policy.rawValue)) of \(action)\(suffix)"
        }
    }
}
