import ConduitCore
import Testing

/// A rule is judged on what will really be used: an accept rule needs every form of the value to
/// match honestly; a deny or queue rule applies when any form does, or when a form cannot be
/// matched honestly.
@Suite("Rules match what runs")
struct RuleHonestyTests {
    static let fileAction = ActionDefinition(
        name: "read-file", description: "d", params: [ParameterSpec(name: "filename", type: .path, required: true)],
        policy: .autoDeny,
        rules: [PolicyRule(policy: .autoAccept, conditions: [.init(parameter: "filename", pattern: .glob("/workspace/public/*"))])])

    /// `public/link` is a link to `../private`: requested and resolved forms differ.
    static let throughLink = ParameterValue.path(
        MappedPath(
            container: "/workspace/public/link/data.txt", host: "/srv/w/private/data.txt",
            resolvedContainer: "/workspace/private/data.txt", hostRoot: "/srv/w"))

    @Test func anAcceptRuleOnAPathNeedsTheResolvedFormToMatchToo() {
        #expect(PolicyEvaluator.decide(Self.fileAction, parameters: ["filename": Self.throughLink]).policy == .autoDeny)
        let direct = ParameterValue.path(MappedPath(container: "/workspace/public/data.txt", host: "/srv/w/public/data.txt"))
        #expect(PolicyEvaluator.decide(Self.fileAction, parameters: ["filename": direct]).policy == .autoAccept)
    }

    @Test func aDenyRuleOnAPathAppliesWhenEitherFormMatches() {
        let action = ActionDefinition(
            name: "read-file", description: "d", params: Self.fileAction.params, policy: .autoAccept,
            rules: [PolicyRule(policy: .autoDeny, conditions: [.init(parameter: "filename", pattern: .glob("/workspace/private/*"))])])
        #expect(PolicyEvaluator.decide(action, parameters: ["filename": Self.throughLink]).policy == .autoDeny)
        let queueing = ActionDefinition(
            name: "read-file", description: "d", params: Self.fileAction.params, policy: .autoAccept,
            rules: [PolicyRule(policy: .queue, conditions: [.init(parameter: "filename", pattern: .glob("/workspace/public/*"))])])
        #expect(PolicyEvaluator.decide(queueing, parameters: ["filename": Self.throughLink]).policy == .queue)
    }

    static let toolAction = ActionDefinition(
        name: "tool-use", description: "d", params: [ParameterSpec(name: "input", type: .object, required: true)],
        policy: .queue,
        rules: [PolicyRule(policy: .autoAccept, conditions: [.init(parameter: "input", fieldPath: ["name"], pattern: .glob("safe-*.txt"))])])

    @Test func aGlobNeverAcceptsAValueWithANULInIt() {
        let smuggled = ParameterValue.object(["name": .string("safe-a.txt\u{0}; evil.sh")])
        #expect(PolicyEvaluator.decide(Self.toolAction, parameters: ["input": smuggled]).policy == .queue)
        let honest = ParameterValue.object(["name": .string("safe-a.txt")])
        #expect(PolicyEvaluator.decide(Self.toolAction, parameters: ["input": honest]).policy == .autoAccept)
    }

    @Test func aGlobDenyRuleAppliesToAValueWithANULInIt() {
        let action = ActionDefinition(
            name: "tool-use", description: "d", params: Self.toolAction.params, policy: .autoAccept,
            rules: [PolicyRule(policy: .autoDeny, conditions: [.init(parameter: "input", fieldPath: ["name"], pattern: .glob("*.sh"))])])
        let smuggled = ParameterValue.object(["name": .string("a.txt\u{0}x.sh")])
        #expect(PolicyEvaluator.decide(action, parameters: ["input": smuggled]).policy == .autoDeny)
    }

    @Test func aRegexSeesPastNUL() {
        let pattern = PolicyRule.Pattern.regex("safe-[a-z]+\\.txt")!
        #expect(pattern.verdict(for: "safe-a.txt\u{0}; evil.sh") == .noMatch)
        #expect(pattern.verdict(for: "safe-a.txt") == .match)
        #expect(PolicyRule.Pattern.glob("safe-*").verdict(for: "safe-\u{0}") == .undecidable)
    }

    @Test func anActionFileRefusesAGlobWithNUL() {
        let yaml = """
            description: d
            params: [{name: url, type: string}]
            policy: queue
            rules: [{policy: auto-accept, match: {url: {glob: "a\\0b"}}}]
            """
        #expect(throws: ActionCatalogError.self) { try ActionFileParser().parse(yaml, name: "x", file: "x.yaml") }
    }
}
