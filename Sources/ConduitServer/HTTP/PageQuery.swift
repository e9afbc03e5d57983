/// What the paged lists (`GET /v1/queue`, `GET /v1/audit`) read the same way from their query.
enum PageQuery {
    /// The largest page either list gives.
    static let longestPage = 1000

    /// `limit`: a whole number from 1 to ``longestPage``.
    static func limit(_ value: some StringProtocol) throws(DecisionError) -> Int {
        guard let limit = Int(value), (1...longestPage).contains(limit) else {
            throw DecisionError.invalid("\"limit\" must be a whole number from 1 to \(longestPage)")
        }
        return limit
    }

    /// Refuses a query parameter other than those `known`, naming them.
    static func requireKnown(_ name: String, among known: Set<String>) throws(DecisionError) {
        guard known.contains(name) else {
            throw DecisionError.invalid("unknown query parameter \"\(name)\" (expected \(known.sorted().joined(separator: ", ")))")
        }
    }
}
