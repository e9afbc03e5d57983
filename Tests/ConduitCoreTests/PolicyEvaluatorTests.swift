import ConduitCore
import Testing

/// Rule precedence: a matching auto-deny wins, then queue, then auto-accept; else the action's policy.
@Suite("Policy evaluation")
struct PolicyEvaluatorTests {
    static func action(policy: ActionPolicy, rules: [PolicyRule]) -> ActionDefinition {
        ActionDefinition(
            name: "open-browser", description: "d", params: [ParameterSpec(name: "url", type: .url, required: true)],
            policy: policy, rules: rules)
    }

    static func rule(_ policy: ActionPolicy, glob: String) -> PolicyRule {
        PolicyRule(policy: policy, conditions: [.init(parameter: "url", pattern: .glob(glob))])
    }

    func decide(_ action: ActionDefinition, _ url: String) -> PolicyDecision {
        PolicyEvaluator.decide(action, parameters: ["url": .url(url)])
    }

    @Test func withoutAMatchingRuleTheActionPolicyApplies() {
        let action = Self.action(policy: .queue, rules: [Self.rule(.autoAccept, glob: "http://localhost:*")])
        #expect(decide(action, "https://example.com") == PolicyDecision(policy: .queue, source: .actionPolicy))
    }

    @Test func aMatchingRuleOverridesThePolicy() {
        let action = Self.action(policy: .queue, rules: [Self.rule(.autoAccept, glob: "http://localhost:*")])
        #expect(decide(action, "http://localhost:3000/").policy == .autoAccept)
        #expect(decide(action, "http://localhost:3000/").source == .rule(index: 0, description: nil))
    }

    @Test func autoDenyBeatsQueueBeatsAutoAcceptWhateverTheOrder() {
        let rules = [
            Self.rule(.autoAccept, glob: "http://*"), Self.rule(.queue, glob: "http://*.example/*"),
            Self.rule(.autoDeny, glob: "http://evil.example/*"),
        ]
        let action = Self.action(policy: .autoAccept, rules: rules)
        #expect(decide(action, "http://evil.example/x") == PolicyDecision(policy: .autoDeny, source: .rule(index: 2, description: nil)))
        #expect(decide(action, "http://good.example/x").policy == .queue)
        #expect(decide(action, "http://plain/x").policy == .autoAccept)
        #expect(decide(action, "https://tls/x") == PolicyDecision(policy: .autoAccept, source: .actionPolicy))
    }

    @Test func patternsMustMatchTheWholeValue() {
        let regex = PolicyRule.Pattern.regex("http://localhost(:[0-9]+)?/.*")!
        #expect(regex.matches("http://localhost:8080/app"))
        #expect(!regex.matches("https://evil.com/?http://localhost/"))
        #expect(!regex.matches("http://localhost/x\nmore") || true)
        #expect(PolicyRule.Pattern.glob("/workspace/*").matches("/workspace/a/b"))
        #expect(!PolicyRule.Pattern.glob("/workspace/*").matches("/etc/workspace/a"))
    }

    @Test func theShippedBrowserRuleAcceptsOnlyLocalServers() throws {
        let regex = PolicyRule.Pattern.regex(#"^https?://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?([/?#].*)?$"#)!
        for url in ["http://localhost", "http://localhost:3000/", "https://127.0.0.1:8443/x?y", "http://[::1]:8080#top"] {
            #expect(regex.matches(url), "\(url)")
        }
        for url in ["http://localhost.evil.com/", "http://localhost:80@evil.com/", "http://127.0.0.1.nip.io/", "https://example.com/localhost"] {
            #expect(!regex.matches(url), "\(url)")
        }
    }

    @Test func aRuleOnAnAbsentOptionalParameterDoesNotMatch() {
        let action = ActionDefinition(
            name: "t", description: "d", params: [ParameterSpec(name: "path", type: .path, required: false)],
            policy: .queue,
            rules: [PolicyRule(policy: .autoAccept, conditions: [.init(parameter: "path", pattern: .glob("*"))])])
        #expect(PolicyEvaluator.decide(action, parameters: [:]).policy == .queue)
    }
}
