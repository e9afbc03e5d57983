import Crypto
import Foundation
import Yams

/// Reads one action file (YAML) into an ``ActionDefinition``, naming the field at fault on error.
///
/// ```yaml
/// description: Open a file in the host's editor.
/// params:
///   - {name: filename, type: path, required: true, description: The file to open.}
///   # open: read | write — the broker opens the file beneath its volume; the program reads or
///   # writes it as /dev/stdin (for programs that only read or write it; see ParameterSpec.access)
/// policy: auto-accept            # auto-accept | auto-deny | queue
/// rules:                         # optional
///   - policy: queue
///     match: {filename: {glob: "/workspace/.git/*"}}
///   # for an `object` parameter, match a field by path: {input.command: {regex: "ls( .*)?"}}
/// run:                           # optional; a list, or a list per platform
///   linux: [xdg-open, "{filename}"]
///   macos: [open, "{filename}"]
/// timeout: 30                    # optional, seconds
/// expires: 900                    # optional, seconds a queued request may wait (server default 900)
/// ```
public struct ActionFileParser: Sendable {
    /// The platform whose `run` entry is used.
    public var platform: HostPlatform

    public init(platform: HostPlatform = .current) {
        self.platform = platform
    }

    static let topLevelFields: Set<String> = ["description", "params", "policy", "rules", "run", "timeout", "expires"]

    /// Parses `yaml` as the action `name`; `file` names the source in errors.
    public func parse(_ yaml: String, name: String, file: String) throws(ActionCatalogError) -> ActionDefinition {
        func fail(_ field: String, _ reason: String) -> ActionCatalogError {
            ActionCatalogError(file: file, field: field, reason: reason)
        }
        guard ActionDefinition.isValidActionName(name) else {
            throw fail("", "\"\(name)\" is not a valid action name: use lower-case letters, digits and '-'")
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
        let params = try parseParams(fields["params"], fail: fail)
        guard let policyText = fields["policy"] as? String, let policy = ActionPolicy(rawValue: policyText) else {
            throw fail("policy", "required, one of auto-accept, auto-deny, queue")
        }
        let rules = try parseRules(fields["rules"], params: params, fail: fail)
        let run = try parseRun(fields["run"], params: params, fail: fail)
        if run == nil, let index = params.firstIndex(where: { $0.access != nil }) {
            throw fail("params[\(index)].open", "the action runs no command to hand the file to")
        }
        var timeout = 30
        if let value = fields["timeout"] {
            guard let seconds = value as? Int, (1...3600).contains(seconds) else {
                throw fail("timeout", "a whole number of seconds from 1 to 3600")
            }
            timeout = seconds
        }
        var expires: Int?
        if let value = fields["expires"] {
            guard let seconds = value as? Int, (1...ActionDefinition.longestExpiry).contains(seconds) else {
                throw fail("expires", "a whole number of seconds from 1 to \(ActionDefinition.longestExpiry) (7 days)")
            }
            expires = seconds
        }
        var action = ActionDefinition(
            name: name, description: description, params: params, policy: policy, rules: rules, run: run,
            timeout: timeout, expires: expires)
        action.fingerprint = SHA256.hash(data: Array(yaml.utf8)).map { String(format: "%02x", $0) }.joined()
        return action
    }

    private func parseParams(_ value: Any?, fail: (String, String) -> ActionCatalogError) throws(ActionCatalogError)
        -> [ParameterSpec]
    {
        guard let value else { return [] }
        guard let list = value as? [Any] else { throw fail("params", "a list of {name, type, required, description}") }
        var specs: [ParameterSpec] = []
        for (index, element) in list.enumerated() {
            let field = "params[\(index)]"
            guard let entry = element as? [String: Any] else { throw fail(field, "a mapping") }
            for key in entry.keys.sorted() where !["name", "type", "required", "description", "open"].contains(key) {
                throw fail("\(field).\(key)", "unknown field (expected name, type, required, description, open)")
            }
            guard let name = entry["name"] as? String, ActionDefinition.isValidParameterName(name) else {
                throw fail("\(field).name", "required; letters, digits, '_' and '-', not \"action\"")
            }
            guard !specs.contains(where: { $0.name == name }) else {
                throw fail("\(field).name", "\"\(name)\" is declared twice")
            }
            let types = ParameterType.allCases.map(\.rawValue).joined(separator: ", ")
            guard let typeText = entry["type"] as? String, let type = ParameterType(rawValue: typeText) else {
                throw fail("\(field).type", "required, one of \(types)")
            }
            var required = false
            if let flag = entry["required"] {
                guard let flag = flag as? Bool else { throw fail("\(field).required", "true or false") }
                required = flag
            }
            var description = ""
            if let text = entry["description"] {
                guard let text = text as? String else { throw fail("\(field).description", "a string") }
                description = text
            }
            var access: FileAccess?
            if let value = entry["open"] {
                guard let text = value as? String, let parsed = FileAccess(rawValue: text) else {
                    throw fail("\(field).open", "read or write")
                }
                guard type == .path else { throw fail("\(field).open", "only a path parameter can be opened") }
                guard !specs.contains(where: { $0.access != nil }) else {
                    throw fail("\(field).open", "only one parameter can be opened (it becomes the program's standard input)")
                }
                access = parsed
            }
            specs.append(ParameterSpec(name: name, type: type, required: required, description: description, access: access))
        }
        return specs
    }

    private func parseRules(
        _ value: Any?, params: [ParameterSpec], fail: (String, String) -> ActionCatalogError
    ) throws(ActionCatalogError) -> [PolicyRule] {
        guard let value else { return [] }
        guard let list = value as? [Any] else { throw fail("rules", "a list of {policy, match}") }
        var rules: [PolicyRule] = []
        for (index, element) in list.enumerated() {
            let field = "rules[\(index)]"
            guard let entry = element as? [String: Any] else { throw fail(field, "a mapping") }
            for key in entry.keys.sorted() where !["policy", "match", "description"].contains(key) {
                throw fail("\(field).\(key)", "unknown field (expected policy, match, description)")
            }
            guard let policyText = entry["policy"] as? String, let policy = ActionPolicy(rawValue: policyText) else {
                throw fail("\(field).policy", "required, one of auto-accept, auto-deny, queue")
            }
            guard let match = entry["match"] as? [String: Any], !match.isEmpty else {
                throw fail("\(field).match", "required, a mapping from parameter name to {glob: …} or {regex: …}")
            }
            var conditions: [PolicyRule.Condition] = []
            for key in match.keys.sorted() {
                let conditionField = "\(field).match.\(key)"
                guard let (parameter, fieldPath) = PolicyRule.Condition.parseKey(key) else {
                    throw fail(conditionField, "a parameter name, or PARAMETER.FIELD for a field of an object parameter")
                }
                guard let spec = params.first(where: { $0.name == parameter }) else {
                    throw fail(conditionField, "no parameter \"\(parameter)\" is declared")
                }
                guard fieldPath.isEmpty || spec.type == .object else {
                    throw fail(conditionField, "\"\(parameter)\" is a \(spec.type.rawValue), not an object; it has no fields")
                }
                guard let patternEntry = match[key] as? [String: Any], patternEntry.count == 1 else {
                    throw fail(conditionField, "exactly one of {glob: PATTERN} or {regex: PATTERN}")
                }
                let pattern: PolicyRule.Pattern
                if let glob = patternEntry["glob"] as? String {
                    guard !glob.utf8.contains(0) else { throw fail("\(conditionField).glob", "a pattern cannot contain NUL") }
                    pattern = .glob(glob)
                } else if let source = patternEntry["regex"] as? String {
                    guard let compiled = PolicyRule.Pattern.regex(source) else {
                        throw fail("\(conditionField).regex", "not a valid regular expression")
                    }
                    pattern = compiled
                } else {
                    throw fail(conditionField, "exactly one of {glob: PATTERN} or {regex: PATTERN}, as a string")
                }
                conditions.append(PolicyRule.Condition(parameter: parameter, fieldPath: fieldPath, pattern: pattern))
            }
            var description: String?
            if let text = entry["description"] {
                guard let text = text as? String else { throw fail("\(field).description", "a string") }
                description = text
            }
            rules.append(PolicyRule(policy: policy, conditions: conditions, description: description))
        }
        return rules
    }

    private func parseRun(
        _ value: Any?, params: [ParameterSpec], fail: (String, String) -> ActionCatalogError
    ) throws(ActionCatalogError) -> CommandTemplate? {
        guard let value else { return nil }
        var field = "run"
        let argv: Any
        if let perPlatform = value as? [String: Any] {
            for key in perPlatform.keys.sorted() where HostPlatform(rawValue: key) == nil {
                throw fail("run.\(key)", "unknown platform (expected linux or macos)")
            }
            guard let entry = perPlatform[platform.rawValue] else {
                throw fail("run", "no command for \(platform.rawValue)")
            }
            field = "run.\(platform.rawValue)"
            argv = entry
        } else {
            argv = value
        }
        guard let list = argv as? [Any] else { throw fail(field, "a list of arguments (quote \"{param}\")") }
        var strings: [String] = []
        for (index, element) in list.enumerated() {
            switch element {
            case let text as String: strings.append(text)
            case let number as Int: strings.append(String(number))
            default: throw fail("\(field)[\(index)]", "a string (quote placeholders: \"{param}\")")
            }
        }
        let template: CommandTemplate
        do {
            template = try CommandTemplate(strings)
        } catch {
            throw fail("\(field)[\(error.index)]", error.reason)
        }
        for (index, argument) in template.arguments.enumerated() {
            for name in argument.parameters where !params.contains(where: { $0.name == name }) {
                throw fail("\(field)[\(index)]", "\"{\(name)}\" names no declared parameter")
            }
        }
        if let first = template.arguments.first, !first.parameters.isEmpty {
            throw fail("\(field)[0]", "the program must be fixed text, not a parameter")
        }
        return template
    }
}
