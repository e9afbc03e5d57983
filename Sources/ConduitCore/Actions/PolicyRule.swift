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
        func matches(_ values: [String: ParameterValue]) -> Bool {
            guard let text = values[parameter]?.matchText(at: fieldPath) else { return false }
            return pattern.matches(text)
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

        /// Whether the pattern matches all of `value`.
        public func matches(_ value: String) -> Bool {
            switch self {
            case .glob(let pattern):
                return fnmatch(pattern, value, 0) == 0
            case .regex(_, let expression):
                let range = NSRange(value.startIndex..., in: value)
                guard let match = expression.firstMatch(in: value, options: [.anchored], range: range) else {
                    return false
                }
                return match.range == range
            }
        }

        public var description: String {
            switch self {
            case .glob(let pattern): "glob \(pattern)"
            case .regex(let source, _): "regex \(source)"
            }
        }
    }

    /// Whether every condition matches the request's validated parameters.
    func matches(_ values: [String: ParameterValue]) -> Bool {
        conditions.allSatisfy { $0.matches(values) }
    }
}

// NSRegularExpression is immutable once made and documented as safe to share between threads.
extension NSRegularExpression: @retroactive @unchecked Sendable {}
