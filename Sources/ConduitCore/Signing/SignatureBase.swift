import RawStructuredFieldValues

/// Builds the signature base of RFC 9421 §2.5: one line per covered component, then `@signature-params`.
public enum SignatureBase {
    /// The signature base for `message` under `parameters`.
    /// - Parameter serializedParameters: the `@signature-params` value; computed from `parameters` when nil.
    public static func make(
        for message: HTTPMessageComponents, parameters: SignatureParameters, serializedParameters: String? = nil
    ) throws(AuthenticationError) -> String {
        var base = ""
        for component in parameters.components {
            let value = try componentValue(component, of: message)
            base += "\"\(component)\": \(value)\n"
        }
        let params: String
        if let serializedParameters {
            params = serializedParameters
        } else {
            params = try serialize(parameters.innerList)
        }
        base += "\"@signature-params\": \(params)"
        return base
    }

    /// The value of one covered component (§2.1 fields, §2.2 derived components).
    static func componentValue(_ component: String, of message: HTTPMessageComponents) throws(AuthenticationError) -> String {
        func require(_ value: String?) throws(AuthenticationError) -> String {
            guard let value else { throw .missingComponent(component) }
            return value
        }
        switch component {
        case "@method": return try require(message.method)
        case "@authority": return try require(message.authority)
        case "@path": return try require(message.path)
        case "@query":
            guard message.path != nil else { throw .missingComponent(component) }
            return "?" + (message.query ?? "")
        case "@request-target":
            let path = try require(message.path)
            return message.query.map { "\(path)?\($0)" } ?? path
        case "@status":
            guard let status = message.status else { throw .missingComponent(component) }
            return String(status)
        case "@signature-params":
            throw .malformedSignature("\"@signature-params\" cannot be covered")
        default:
            if component.hasPrefix("@") {
                throw .malformedSignature("unsupported derived component \"\(component)\"")
            }
            guard component == component.lowercased() else {
                throw .malformedSignature("field names must be lower case (\"\(component)\")")
            }
            guard let value = message.fieldValue(component) else { throw .missingComponent(component) }
            return value
        }
    }

    /// Serialises an inner list with its parameters, as `@signature-params` and `Signature-Input` carry it.
    static func serialize(_ innerList: InnerList) throws(AuthenticationError) -> String {
        var serializer = StructuredFieldValueSerializer()
        do {
            let bytes = try serializer.writeListFieldValue([.innerList(innerList)])
            return String(decoding: bytes, as: UTF8.self)
        } catch {
            throw .malformedSignature("the signature parameters cannot be serialised")
        }
    }
}
