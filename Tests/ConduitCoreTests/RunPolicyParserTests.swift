import ConduitCore
import ConduitTestSupport
import Foundation
import Testing

@Suite("Run policy files")
struct RunPolicyParserTests {
    let parser = RunPolicyParser()

    @Test func theShippedExampleReadsAsDocumented() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../runs/fix-bug.yaml")
        let policy = try parser.parse(try String(contentsOf: file, encoding: .utf8), name: "fix-bug", file: file.path)
        #expect(policy == RunPolicy(
            name: "fix-bug", description: "Fix a bug and prove it with the tests", runner: .claude, policy: .queue,
            maxTurns: 30, maxBudgetUSD: 2.0, timeout: 1800,
            checks: [RunCheck(name: "unit tests", run: ["make", "test"], timeout: 600, onFail: .retry)], maxAttempts: 3))
    }

    @Test func onlyDescriptionAndPolicyAreRequired() throws {
        let policy = try parser.parse("description: d\npolicy: auto-accept\n", name: "quick", file: "quick.yaml")
        #expect(policy == RunPolicy(name: "quick", description: "d", policy: .autoAccept))
        #expect(policy.timeout == 1800 && policy.maxAttempts == 1 && policy.checks.isEmpty && policy.model == nil)
    }

    @Test func aWholeBudgetAndANumberInTheArgvAreAccepted() throws {
        let policy = try parser.parse(
            "description: d\npolicy: queue\nmax_budget_usd: 3\nchecks: [{name: n, run: [sleep, 1]}]\n", name: "x", file: "x.yaml")
        #expect(policy.maxBudgetUSD == 3.0)
        #expect(policy.checks == [RunCheck(name: "n", run: ["sleep", "1"], timeout: 600, onFail: .fail)])
    }

    @Test(arguments: [
        ("policy: queue\n", "description"),
        ("description: d\n", "policy"),
        ("description: d\npolicy: sometimes\n", "policy"),
        ("description: d\npolicy: queue\nrunner: codex\n", "runner"),
        ("description: d\npolicy: queue\nmodle: sonnet\n", "modle"),
        ("description: d\npolicy: queue\nmodel: --dangerously-skip-permissions\n", "model"),
        ("description: d\npolicy: queue\nmodel: \"a b\"\n", "model"),
        ("description: d\npolicy: queue\nmax_turns: 0\n", "max_turns"),
        ("description: d\npolicy: queue\nmax_turns: many\n", "max_turns"),
        ("description: d\npolicy: queue\nmax_budget_usd: -1\n", "max_budget_usd"),
        ("description: d\npolicy: queue\ntimeout: 0\n", "timeout"),
        ("description: d\npolicy: queue\ntimeout: 1.5\n", "timeout"),
        ("description: d\npolicy: queue\nmax_attempts: 21\n", "max_attempts"),
        ("description: d\npolicy: queue\nchecks: {name: x}\n", "checks"),
        ("description: d\npolicy: queue\nchecks: [{run: [make]}]\n", "checks[0].name"),
        ("description: d\npolicy: queue\nchecks: [{name: t}]\n", "checks[0].run"),
        ("description: d\npolicy: queue\nchecks: [{name: t, run: \"make test\"}]\n", "checks[0].run"),
        ("description: d\npolicy: queue\nchecks: [{name: t, run: []}]\n", "checks[0].run"),
        ("description: d\npolicy: queue\nchecks: [{name: t, run: [\"\"]}]\n", "checks[0].run[0]"),
        ("description: d\npolicy: queue\nchecks: [{name: t, run: [make, {a: 1}]}]\n", "checks[0].run[1]"),
        ("description: d\npolicy: queue\nchecks: [{name: t, run: [make], on_fail: ignore}]\n", "checks[0].on_fail"),
        ("description: d\npolicy: queue\nchecks: [{name: t, run: [make], timeout: 0}]\n", "checks[0].timeout"),
        ("description: d\npolicy: queue\nchecks: [{name: t, run: [make], shell: true}]\n", "checks[0].shell"),
        ("description: d\npolicy: queue\nchecks: [{name: t, run: [a]}, {name: t, run: [b]}]\n", "checks[1].name"),
        ("- just a list\n", ""),
    ])
    func aMistakeNamesItsField(yaml: String, field: String) {
        #expect(throws: RunPolicyError.self) { try parser.parse(yaml, name: "x", file: "x.yaml") }
        do {
            _ = try parser.parse(yaml, name: "x", file: "x.yaml")
        } catch {
            #expect(error.field == field, "\(error)")
            #expect(error.file == "x.yaml")
        }
    }

    @Test func aBadNameIsRefused() {
        #expect(throws: RunPolicyError.self) { try parser.parse("description: d\npolicy: queue\n", name: "Fix Bug", file: "Fix Bug.yaml") }
    }

    @Test func aDirectoryLoadsEveryYAMLFileAndAMissingOptionalOneIsEmpty() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("a.yaml", "description: a\npolicy: auto-accept\n")
        try directory.write("b.yml", "description: b\npolicy: queue\n")
        try directory.write("README.txt", "notes")
        #expect(try RunPolicyCatalog.load(from: directory.path).names == ["a", "b"])
        #expect(try RunPolicyCatalog.load(from: directory.file("absent"), required: false).names.isEmpty)
        #expect(throws: RunPolicyError.self) { try RunPolicyCatalog.load(from: directory.file("absent")) }
        try directory.write("c.yaml", "description: c\npolicy: queue\nbogus: 1\n")
        let expected = RunPolicyError(
            file: directory.file("c.yaml"), field: "bogus",
            reason: "unknown field (expected one of checks, description, max_attempts, max_budget_usd, max_turns, model, policy, runner, timeout)")
        #expect(throws: expected) { try RunPolicyCatalog.load(from: directory.path) }
    }
}
