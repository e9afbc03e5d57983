import ConduitCore

/// One page of the approval queue (``ConduitStore/pendingPage(submittedBy:after:limit:now:)``).
public struct PendingPage: Sendable, Equatable {
    /// The page's requests, oldest first.
    public var records: [ActionRecord]
    /// How many pending requests there are in all (every page).
    public var total: Int
    /// The id to pass as the next page's cursor; nil on the last page.
    public var nextCursor: String?

    public init(records: [ActionRecord], total: Int, nextCursor: String?) {
        self.records = records
        self.total = total
        self.nextCursor = nextCursor
    }

    /// A cursor that names no request: not one this broker gave out.
    public struct UnknownCursor: Error, Equatable {
        public let cursor: String
    }
}
