import RawStructuredFieldValues

/// The covered components and metadata of one signature: what `Signature-Input` holds for a label.
public struct SignatureParameters: Sendable, Equatable {
    /// Covered component identifiers in order, e.g. `["@method", "@authority", "content-digest"]`.
    public var components: [String]
    public var created: Int64?
    public var expires: Int64?
    public var nonce: String?
    public var keyid: String?
    public var alg: String?
    public var tag: String?

    public init(
        components: [String], created: Int64? = nil, expires: Int64? = nil, nonce: String? = nil,
        keyid: String? = nil, alg: String? = nil, tag: String? = nil
    ) {
        self.components = components
        self.created = created
        self.expires = expires
        self.nonce = nonce
        self.keyid = keyid
        self.alg = alg
        self.tag = tag
    }

    /// The structured-field inner list, parameters in a fixed order: created, expires, nonce, keyid, alg, tag.
    var innerList: InnerList {
        var items = BareInnerList()
        for component in components {
            items.append(Item(bareItem: RFC9651BareItem.string(component), parameters: OrderedMap<String, RFC9651BareItem>()))
        }
        var parameters = OrderedMap<String, RFC9651BareItem>()
        if let created { parameters["created"] = .integer(created) }
        if let expires { parameters["expires"] = .integer(expires) }
        if let nonce { parameters["nonce"] = .string(nonce) }
        if let keyid { parameters["keyid"] = .string(keyid) }
        if let alg { parameters["alg"] = .string(alg) }
        if let tag { parameters["tag"] = .string(tag) }
        return InnerList(bareInnerList: items, parameters: parameters)
    }

    /// Reads the parameters of a parsed `Signature-Input` member.
    init(innerList: InnerList) throws(AuthenticationError) {
        var components: [String] = []
        for item in innerList.bareInnerList {
            guard case .string(let name) = item.rfc9651BareItem else {
                throw .malformedSignature("covered components must be strings")
            }
            guard item.rfc9651Parameters.count == 0 else {
                throw .malformedSignature("component parameters (as on \"\(name)\") are not supported")
            }
            guard !components.contains(name) else {
                throw .malformedSignature("component \"\(name)\" is listed twice")
            }
            components.append(name)
        }
        self.init(components: components)
        for (name, value) in innerList.rfc9651Parameters {
            switch (name, value) {
            case ("created", .integer(let number)): created = number
            case ("expires", .integer(let number)): expires = number
            case ("nonce", .string(let text)): nonce = text
            case ("keyid", .string(let text)): keyid = text
            case ("alg", .string(let text)): alg = text
            case ("tag", .string(let text)): tag = text
            case ("created", _), ("expires", _):
                throw .malformedSignature("\"\(name)\" must be an integer")
            case ("nonce", _), ("keyid", _), ("alg", _), ("tag", _):
                throw .malformedSignature("\"\(name)\" must be a string")
            default:
                continue  // Unknown parameters are covered by the signature base and otherwise ignored.
            }
        }
    }
}
