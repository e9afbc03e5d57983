import ConduitCore
import Testing

@Suite("Object parameters and rules on their fields")
struct ObjectParameterTests {
    let validator = ParameterValidator(pathMapper: PathMapper(volumes: []))
    let action = ActionDefinition(
        name: "gate", description: "d",
        params: [
            ParameterSpec(name: "tool", type: .string, required: true),
            ParameterSpec(name: "input", type: .object, required: true),
        ],
        policy: .queue,
        rules: [
            PolicyRule(
                policy: .autoDeny,
                conditions: [
                    .init(parameter: "tool", pattern: .glob("Bash")),
                    .init(parameter: "input", fieldPath: ["command"], pattern: .regex("(?s).*rm -rf.*")!),
                ]),
            PolicyRule(
                policy: .autoAccept,
                conditions: [.init(parameter: "input", fieldPath: ["options", "dry_run"], pattern: .glob("true"))]),
            PolicyRule(
                policy: .autoAccept,
                conditions: [.init(parameter: "input", fieldPath: ["limit"], pattern: .glob("10"))]),
        ])

    func decide(_ input: JSONValue, tool: String = "Bash") throws -> ActionPolicy {
        let request = ActionRequest(action: "gate", arguments: ["tool": .string(tool), "input": input])
        let values = try validator.validate(request, against: action)
        return PolicyEvaluator.decide(action, parameters: values).policy
    }

    @Test func anObjectParameterTakesAnyJSONObjectAndKeepsIt() throws {
        let input: JSONValue = ["command": "ls", "nested": ["a": [1, 2]], "n": .number(1.5)]
        let request = ActionRequest(action: "gate", arguments: ["tool": "Bash", "input": input])
        let values = try validator.validate(request, against: action)
        #expect(values["input"]?.json == input)
        #expect(values["input"]?.argument == #"{"command":"ls","n":1.5,"nested":{"a":[1,2]}}"#)
    }

    @Test(arguments: [JSONValue.string("{}"), .array([]), .integer(1), .bool(true)])
    func anythingButAnObjectIsRefused(value: JSONValue) {
        let request = ActionRequest(action: "gate", arguments: ["tool": "Bash", "input": value])
        #expect(throws: RequestError.self) { try validator.validate(request, against: action) }
    }

    @Test func aFieldConditionMatchesTheStringMemberItself() throws {
        #expect(try decide(["command": "rm -rf /"]) == .autoDeny)
        #expect(try decide(["command": "echo ok\nrm -rf build"]) == .autoDeny)
        #expect(try decide(["command": "ls"]) == .queue)
    }

    @Test func everyConditionOfARuleMustMatch() throws {
        #expect(try decide(["command": "rm -rf /"], tool: "Other") == .queue)
    }

    @Test func numbersAndBooleansMatchAsTheirJSONText() throws {
        #expect(try decide(["options": ["dry_run": true]]) == .autoAccept)
        #expect(try decide(["options": ["dry_run": "true"]]) == .autoAccept)
        #expect(try decide(["options": ["dry_run": false]]) == .queue)
        #expect(try decide(["limit": 10]) == .autoAccept)
    }

    @Test func anAbsentFieldOrAPathThroughANonObjectNeverMatches() throws {
        #expect(try decide([:]) == .queue)
        #expect(try decide(["options": "dry_run"]) == .queue)
        #expect(try decide(["options": ["dry_run": ["true"]]]) == .queue)
    }

    @Test func conditionKeysAreParameterThenFieldPath() {
        #expect(PolicyRule.Condition.parseKey("url")! == ("url", []))
        #expect(PolicyRule.Condition.parseKey("input.command")! == ("input", ["command"]))
        #expect(PolicyRule.Condition.parseKey("input.a.b")! == ("input", ["a", "b"]))
        #expect(PolicyRule.Condition.parseKey("input.") == nil)
        #expect(PolicyRule.Condition.parseKey(".x") == nil)
        #expect(PolicyRule.Condition.parseKey("a..b") == nil)
    }
}
