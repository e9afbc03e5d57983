/// Decides a validated request from its action's rules and policy.
///
/// Precedence is fixed: if any matching rule is `auto-deny`, it wins; otherwise a matching `queue`
/// rule; otherwise a matching `auto-accept` rule; if no rule matches, the action's `policy` applies.
/// Among rules of the same policy, the first in the file is named.
public enum PolicyEvaluator {
    public static func decide(_ action: ActionDefinition, parameters: [String: ParameterValue]) -> PolicyDecision {
        let matching = action.rules.enumerated().filter { $0.element.matches(parameters) }
        for policy in [ActionPolicy.autoDeny, .queue, .autoAccept] {
            if let (index, rule) = matching.first(where: { $0.element.policy == policy }) {
                return PolicyDecision(policy: policy, source: .rule(index: index, description: rule.description))
            }
        }
        return PolicyDecision(policy: action.policy, source: .actionPolicy)
    }
}
