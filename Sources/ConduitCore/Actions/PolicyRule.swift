import Foundation

/// A parameter-conditional policy: when every condition matches, ``policy`` applies.
///
/// Precedence among rules that match is fixed (see ``PolicyEvaluator``): auto-deny, then queue,
/// then auto-accept; when none matches, the action's own policy applies.
public struct PolicyRule: Sendable {
    public var policy: ActionPolicy
    /// Conditions on parameter values; all must match.
    public var conditions: [Condition]
    /// Optional words for logs and records.
    public var description: String?

    public init(policy: ActionPolicy, conditions: [Condition], description: String? = nil) {
        self.policy = policy
        self.conditions = conditions
        self.description = description
    }

    /// A pattern that must match the whole value of one parameter, or of one field inside an
    /// `object` parameter.
    ///
    /// In an action file the key names it: `url` (the parameter), `input.command` (the member
    /// `command` of the object parameter `input`), `input.options.force` (nested objects).
    public struct Condition: Sendable {
        public var parameter: String
        /// The members to follow inside an `object` parameter; empty for the parameter itself.
        public var fieldPath: [String]
        public var pattern: Pattern

        public init(parameter: String, fieldPath: [String] = [], pattern: Pattern) {
            self.parameter = parameter
            self.fieldPath = fieldPath
            self.pattern = pattern
        }

        /// Reads a condition key: the parameter name, then `.`-separated member names.
        /// Returns nil when a part is empty (`input.`, `.command`, `input..command`).
        public static func parseKey(_ key: String) -> (parameter: String, fieldPath: [String])? {
            let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard let parameter = parts.first, !parts.contains(where: \.isEmpty) else { return nil }
            return (parameter, Array(parts.dropFirst()))
        }

        /// Whether the pattern matches the addressed value; false when the parameter or field is absent.
        ///
        /// A path has two texts (as requested, and resolved in container form). `strictly` (for
        /// auto-accept) every text must match honestly; otherwise (auto-deny, queue) one text that
        /// matches, or that cannot be matched honestly, is enough.
        func matches(_ values: [String: ParameterValue], strictly: Bool) -> Bool {
            guard let texts = values[parameter]?.matchTexts(at: fieldPath) else { return false }
            let verdicts = texts.map(pattern.verdict)
            return strictly ? verdicts.allSatisfy { $0 == .match } : verdicts.contains { $0 != .noMatch }
        }
    }

    /// A glob (`fnmatch(3)`, `*` also matches `/`) or a regular expression; either must match
    /// the *whole* value, so `http://localhost*` cannot be satisfied by a value that merely contains it.
    public enum Pattern: Sendable, CustomStringConvertible {
        case glob(String)
        case regex(String, NSRegularExpression)

        /// Compiles a regular expression, or returns nil when it is invalid.
        public static func regex(_ source: String) -> Pattern? {
            guard let expression = try? NSRegularExpression(pattern: source) else { return nil }
            return .regex(source, expression)
        }

        /// How a pattern relates to one value.
        public enum Verdict: Sendable, Equatable {
            case match
            case noMatch
            /// The value cannot be matched honestly: a glob goes through `fnmatch(3)`, which stops
            /// at NUL, so `safe-a.txt\0; evil.sh` would look like `safe-a.txt`. Never satisfies an
            /// accept rule; always satisfies a deny or queue rule.
            case undecidable
        }

        /// Whether the pattern matches all of `value`.
        public func matches(_ value: String) -> Bool { verdict(for: value) == .match }

        /// Whether the pattern matches all of `value`, or cannot tell.
        public func verdict(for value: String) -> Verdict {
            switch self {
            case .glob(let pattern):
                guard !value.utf8.contains(0) else { return .undecidable }
                return fnmatch(pattern, value, 0) == 0 ? .match : .noMatch
            case .regex(_, let expression):
                let range = NSRange(value.startIndex..., in: value)
                guard let match = expression.firstMatch(in: value, options: [.anchored], range: range) else {
                    return .noMatch
                }
                return match.range == range ? .match : .noMatch
            }
        }

        public var description: String {
            switch self {
            case .glob(let pattern): "glob \(pattern)"
            case .regex(let source, _): "regex \(source)"
            }
        }
    }

    /// Whether every condition matches the request's validated parameters: strictly for an
    /// auto-accept rule (every form of every value), leniently for auto-deny and queue (any form).
    func matches(_ values: [String: ParameterValue]) -> Bool {
        let strictly = policy == .autoAccept
        return conditions.allSatisfy { $0.matches(values, strictly: strictly) }
    }
}

// NSRegularExpression is immutable once made and documented as safe to share between threads.
extension NSRegularExpression: @retroactive @unchecked Sendable {}
