/// A domain type with one JSON shape: ``json`` writes it, ``init(json:)`` reads it back. It is
/// `Codable` through that shape, so `JSONEncoder`/`JSONDecoder` and the hand-built API agree.
public protocol JSONShaped: Codable {
    /// The value as the API serves it.
    var json: JSONValue { get }
    /// Reads ``json`` back; nil if `json` is not one.
    init?(json: JSONValue)
    /// What a decoding error says a value needs, e.g. "an action record (id, … are required)".
    static var shapeDescription: String { get }
}

extension JSONShaped {
    public init(from decoder: any Decoder) throws {
        guard let value = Self(json: try JSONValue(from: decoder)) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not \(Self.shapeDescription)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}
