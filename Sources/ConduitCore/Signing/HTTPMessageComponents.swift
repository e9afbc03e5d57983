/// The parts of one HTTP message that a signature can cover, as they were on the wire.
///
/// `path` and `query` come from the raw request target, percent-encoding preserved: a signature
/// is computed over bytes, and decoding them first would let two different requests share one.
public struct HTTPMessageComponents: Sendable, Equatable {
    /// The request method, e.g. `POST` (requests only).
    public var method: String?
    /// The target authority, `host[:port]`, lower-cased (requests only).
    public var authority: String?
    /// The raw path of the request target, without the query; `/` when empty (requests only).
    public var path: String?
    /// The raw query without its `?`; `nil` when the target has none (requests only).
    public var query: String?
    /// The status code (responses only).
    public var status: Int?
    /// Header fields by lower-cased name; repeated fields keep their order.
    public var fields: [String: [String]]

    /// A request, from its method, raw request target (`/v1/actions?x=1`) and authority.
    public static func request(method: String, target: String, authority: String, fields: [String: [String]] = [:])
        -> HTTPMessageComponents
    {
        let path: Substring
        let query: String?
        if let mark = target.firstIndex(of: "?") {
            path = target[..<mark]
            query = String(target[target.index(after: mark)...])
        } else {
            path = Substring(target)
            query = nil
        }
        return HTTPMessageComponents(
            method: method.uppercased(), authority: authority.lowercased(), path: path.isEmpty ? "/" : String(path),
            query: query, status: nil, fields: Self.normalize(fields))
    }

    /// A response, from its status and header fields.
    public static func response(status: Int, fields: [String: [String]] = [:]) -> HTTPMessageComponents {
        HTTPMessageComponents(
            method: nil, authority: nil, path: nil, query: nil, status: status, fields: Self.normalize(fields))
    }

    /// The value of a header field as RFC 9421 §2.1 defines it: each line trimmed, lines joined by `", "`.
    public func fieldValue(_ name: String) -> String? {
        guard let values = fields[name.lowercased()] else { return nil }
        return values.map { $0.trimmingSpaceAndTab() }.joined(separator: ", ")
    }

    /// Adds a header field value.
    public mutating func addField(_ name: String, _ value: String) {
        fields[name.lowercased(), default: []].append(value)
    }

    private static func normalize(_ fields: [String: [String]]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for (name, values) in fields { result[name.lowercased(), default: []].append(contentsOf: values) }
        return result
    }
}

extension String {
    func trimmingSpaceAndTab() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
