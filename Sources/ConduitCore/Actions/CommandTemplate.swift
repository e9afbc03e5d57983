/// The argv an action runs: literal text and `{param}` placeholders, one list element per argument.
///
/// A placeholder is replaced *inside its own argument*: a value is never split, never given to a
/// shell. An argument that names an optional parameter the request did not give is left out.
/// Write `{{` and `}}` for literal braces.
public struct CommandTemplate: Sendable, Equatable {
    /// One argument: a sequence of literal and placeholder pieces.
    public struct Argument: Sendable, Equatable {
        public enum Piece: Sendable, Equatable {
            case literal(String)
            case parameter(String)
        }
        public var pieces: [Piece]

        /// The parameters this argument names.
        public var parameters: [String] {
            pieces.compactMap { if case .parameter(let name) = $0 { name } else { nil } }
        }
    }

    public var arguments: [Argument]

    /// Parses a template; `describe` names the place for errors (e.g. `run[1]`).
    public init(_ argv: [String]) throws(TemplateError) {
        guard !argv.isEmpty else { throw TemplateError(index: 0, reason: "the command is empty") }
        arguments = []
        for (index, text) in argv.enumerated() {
            arguments.append(try Self.parse(text, index: index))
        }
        if arguments[0].pieces.isEmpty { throw TemplateError(index: 0, reason: "the program name is empty") }
    }

    /// Why a template could not be read.
    public struct TemplateError: Error, Equatable, Sendable {
        public var index: Int
        public var reason: String
    }

    /// Every parameter named anywhere in the template.
    public var parameters: Set<String> { Set(arguments.flatMap(\.parameters)) }

    /// The argv for one request. `values` holds each given parameter's argument text.
    public func render(_ values: [String: String]) -> [String] {
        arguments.compactMap { argument in
            var text = ""
            for piece in argument.pieces {
                switch piece {
                case .literal(let literal): text += literal
                case .parameter(let name):
                    guard let value = values[name] else { return nil }
                    text += value
                }
            }
            return text
        }
    }

    private static func parse(_ text: String, index: Int) throws(TemplateError) -> Argument {
        var pieces: [Argument.Piece] = []
        var literal = ""
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            switch character {
            case "{" where characters.first == "{":
                characters.removeFirst()
                literal.append("{")
            case "}" where characters.first == "}":
                characters.removeFirst()
                literal.append("}")
            case "{":
                guard let close = characters.firstIndex(of: "}") else {
                    throw TemplateError(index: index, reason: "unclosed \"{\" (write \"{{\" for a literal brace)")
                }
                let name = String(characters[..<close])
                guard ActionDefinition.isValidParameterName(name) else {
                    throw TemplateError(index: index, reason: "\"{\(name)}\" is not a parameter placeholder")
                }
                characters = characters[characters.index(after: close)...]
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = ""
                pieces.append(.parameter(name))
            case "}":
                throw TemplateError(index: index, reason: "unmatched \"}\" (write \"}}\" for a literal brace)")
            default:
                literal.append(character)
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return Argument(pieces: pieces)
    }
}
