import Yams

/// Reads one run policy file (YAML) into a ``RunPolicy``, naming the field at fault on error.
///
/// ```yaml
/// description: Fix a bug and prove it with the tests
/// runner: claude          # optional; the runner (Claude Code is the one shipped)
/// model: sonnet           # optional, passed to the runner
/// policy: auto-accept     # may a run start? auto-accept | queue | auto-deny
/// max_turns: 30           # optional runner limits
/// max_budget_usd: 2.0
/// timeout: 1800           # optional, seconds per attempt (default 1800)
/// checks:                 # optional; run in the worktree after each attempt; argv, never a shell
///   - name: unit tests
///     run: ["make", "test"]
///     timeout: 600        # optional (default 600)
///     on_fail: retry      # retry | fail (default fail)
/// max_attempts: 3         # optional (default 1)
/// ```
public struct RunPolicyParser: Sendable {
    public init() {}

    static let topLevelFields: Set<String> = [
        "description", "runner", "model", "policy", "max_turns", "max_budget_usd", "timeout", "checks", "max_attempts",
    ]
    static let checkFields: Set<String> = ["name", "run", "timeout", "on_fail"]

    /// Parses `yaml` as the run policy `name`; `file` names the source in errors.
    public func parse(_ yaml: String, name: String, file: String) throws(RunPolicyError) -> RunPolicy {
        func fail(_ field: String, _ reason: String) -> RunPolicyError {
            RunPolicyError(file: file, field: field, reason: reason)
        }
        guard ActionDefinition.isValidActionName(name) else {
            throw fail("", "\"\(name)\" is not a valid run policy name: use lower-case letters, digits and '-'")
        }
        let document: Any?
        do {
            document = try Yams.load(yaml: yaml)
        } catch {
            throw fail("", "not valid YAML: \(error)")
        }
        guard let fields = document as? [String: Any] else { throw fail("", "the file must hold a YAML mapping") }
        for key in fields.keys.sorted() where !Self.topLevelFields.contains(key) {
            throw fail(key, "unknown field (expected one of \(Self.topLevelFields.sorted().joined(separator: ", ")))")
        }
        guard let description = fields["description"] as? String, !description.isEmpty else {
            throw fail("description", "required, a non-empty string")
        }
        var runner = AgentRunnerKind.claude
        if let value = fields["runner"] {
            let known = AgentRunnerKind.allCases.map(\.rawValue).joined(separator: ", ")
            guard let text = value as? String, let kind = AgentRunnerKind(rawValue: text) else {
                throw fail("runner", "one of \(known)")
            }
            runner = kind
        }
        var model: String?
        if let value = fields["model"] {
            guard let text = value as? String, Self.isPlainWord(text) else {
                throw fail("model", "a model name: letters, digits, '.', '-', '_' and ':'")
            }
            model = text
        }
        guard let policyText = fields["policy"] as? String, let policy = ActionPolicy(rawValue: policyText) else {
            throw fail("policy", "required, one of auto-accept, auto-deny, queue")
        }
        let maxTurns = try Self.wholeNumber(fields["max_turns"], in: 1...10_000, field: "max_turns", fail: fail)
        var budget: Double?
        if let value = fields["max_budget_usd"] {
            let amount = (value as? Double) ?? (value as? Int).map(Double.init)
            guard let amount, amount > 0, amount <= 10_000 else {
                throw fail("max_budget_usd", "a number of US dollars above 0 and at most 10000")
            }
            budget = amount
        }
        let timeout =
            try Self.wholeNumber(fields["timeout"], in: 1...RunPolicy.longestTimeout, field: "timeout", fail: fail)
            ?? RunPolicy.defaultTimeout
        let checks = try parseChecks(fields["checks"], fail: fail)
        let maxAttempts =
            try Self.wholeNumber(fields["max_attempts"], in: 1...RunPolicy.mostAttempts, field: "max_attempts", fail: fail)
            ?? 1
        return RunPolicy(
            name: name, description: description, runner: runner, model: model, policy: policy, maxTurns: maxTurns,
            maxBudgetUSD: budget, timeout: timeout, checks: checks, maxAttempts: maxAttempts)
    }

    private func parseChecks(_ value: Any?, fail: (String, String) -> RunPolicyError) throws(RunPolicyError) -> [RunCheck] {
        guard let value else { return [] }
        guard let list = value as? [Any] else { throw fail("checks", "a list of {name, run, timeout, on_fail}") }
        var checks: [RunCheck] = []
        for (index, element) in list.enumerated() {
            let field = "checks[\(index)]"
            guard let entry = element as? [String: Any] else { throw fail(field, "a mapping") }
            for key in entry.keys.sorted() where !Self.checkFields.contains(key) {
                throw fail("\(field).\(key)", "unknown field (expected name, run, timeout, on_fail)")
            }
            guard let name = entry["name"] as? String, !name.isEmpty, name.count <= 100,
                !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else {
                throw fail("\(field).name", "required, a non-empty line of at most 100 characters")
            }
            guard !checks.contains(where: { $0.name == name }) else {
                throw fail("\(field).name", "\"\(name)\" is used twice")
            }
            guard let arguments = entry["run"] as? [Any], !arguments.isEmpty else {
                throw fail("\(field).run", "required, a list: the program, then its arguments (no shell)")
            }
            var argv: [String] = []
            for (position, argument) in arguments.enumerated() {
                let text: String
                switch argument {
                case let string as String: text = string
                case let number as Int: text = String(number)
                default: throw fail("\(field).run[\(position)]", "a string")
                }
                guard !text.utf8.contains(0) else { throw fail("\(field).run[\(position)]", "an argument cannot contain NUL") }
                argv.append(text)
            }
            guard !argv[0].isEmpty else { throw fail("\(field).run[0]", "the program cannot be empty") }
            let timeout =
                try Self.wholeNumber(entry["timeout"], in: 1...RunPolicy.longestTimeout, field: "\(field).timeout", fail: fail)
                ?? RunCheck.defaultTimeout
            var onFail = RunCheck.OnFail.fail
            if let value = entry["on_fail"] {
                guard let text = value as? String, let parsed = RunCheck.OnFail(rawValue: text) else {
                    throw fail("\(field).on_fail", "retry or fail")
                }
                onFail = parsed
            }
            checks.append(RunCheck(name: name, run: argv, timeout: timeout, onFail: onFail))
        }
        return checks
    }

    private static func wholeNumber(
        _ value: Any?, in range: ClosedRange<Int>, field: String, fail: (String, String) -> RunPolicyError
    ) throws(RunPolicyError) -> Int? {
        guard let value else { return nil }
        guard let number = value as? Int, range.contains(number) else {
            throw fail(field, "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// A word safe to pass as one argument that cannot be read as an option.
    static func isPlainWord(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first != "-", text.utf8.count <= 100 else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ".-_:".unicodeScalars.contains(scalar))
        }
    }
}
