/// Checks a request's arguments against an action's declared parameters.
public struct ParameterValidator: Sendable {
    public var pathMapper: PathMapper

    public init(pathMapper: PathMapper) {
        self.pathMapper = pathMapper
    }

    /// Validates every argument: no unknown names, every required one present, each of its type;
    /// paths mapped into a volume and URLs checked.
    public func validate(_ request: ActionRequest, against action: ActionDefinition) throws(RequestError)
        -> [String: ParameterValue]
    {
        for name in request.arguments.keys.sorted() where action.parameter(named: name) == nil {
            throw .unknown(name, action: action.name)
        }
        var values: [String: ParameterValue] = [:]
        for spec in action.params {
            guard let value = request.arguments[spec.name], value != .null else {
                if spec.required { throw .missing(spec.name, action: action.name) }
                continue
            }
            values[spec.name] = try validate(value, as: spec)
        }
        return values
    }

    private func validate(_ value: JSONValue, as spec: ParameterSpec) throws(RequestError) -> ParameterValue {
        let name = spec.name
        switch spec.type {
        case .string:
            guard case .string(let text) = value else { throw .mistyped(name, expected: "a string", got: value) }
            guard !text.unicodeScalars.contains("\u{0}") else {
                throw RequestError(code: "invalid_string", message: "\"\(name)\" contains a NUL byte", parameter: name)
            }
            return .string(text)
        case .path:
            guard case .string(let text) = value else { throw .mistyped(name, expected: "a path string", got: value) }
            do {
                return .path(try pathMapper.map(text))
            } catch {
                throw RequestError(code: error.code, message: "\"\(name)\": \(error)", parameter: name)
            }
        case .url:
            guard case .string(let text) = value else { throw .mistyped(name, expected: "a URL string", got: value) }
            if let problem = URLValidator.problem(with: text) {
                throw RequestError(code: "invalid_url", message: "\"\(name)\": \(problem)", parameter: name)
            }
            return .url(text)
        case .integer:
            guard case .integer(let number) = value else {
                throw .mistyped(name, expected: "an integer that fits in 64 bits", got: value)
            }
            return .integer(number)
        case .boolean:
            guard case .bool(let flag) = value else { throw .mistyped(name, expected: "true or false", got: value) }
            return .boolean(flag)
        case .object:
            guard case .object(let members) = value else { throw .mistyped(name, expected: "a JSON object", got: value) }
            return .object(members)
        }
    }
}
