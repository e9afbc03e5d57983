import ConduitCore
import Foundation

extension ConduitHTTPClient {
    /// The record `id` (`GET /v1/actions/{id}`); with `wait`, held until it is final or `wait` seconds pass.
    public func record(id: String, wait: Int? = nil) async throws(ClientError) -> ConduitResponse {
        try await send(method: "GET", target: "/v1/actions/\(Self.escape(id))" + (wait.map { "?wait=\($0)" } ?? ""))
    }

    /// Approves pending request `id`; `remember` (seconds) also accepts identical requests that long.
    public func approve(id: String, reason: String? = nil, remember: Int? = nil) async throws(ClientError)
        -> ConduitResponse
    {
        var body: [String: JSONValue] = [:]
        if let reason { body["reason"] = .string(reason) }
        if let remember { body["remember"] = .integer(Int64(remember)) }
        return try await send(
            method: "POST", target: "/v1/actions/\(Self.escape(id))/approve", body: Array(JSONValue.object(body).serialized()))
    }

    /// Denies pending request `id`, with an optional reason its submitter will read.
    public func deny(id: String, reason: String? = nil) async throws(ClientError) -> ConduitResponse {
        var body: [String: JSONValue] = [:]
        if let reason { body["reason"] = .string(reason) }
        return try await send(
            method: "POST", target: "/v1/actions/\(Self.escape(id))/deny", body: Array(JSONValue.object(body).serialized()))
    }

    /// Cancels one's own pending request `id`.
    public func cancel(id: String) async throws(ClientError) -> ConduitResponse {
        try await send(method: "DELETE", target: "/v1/actions/\(Self.escape(id))")
    }

    /// Cancels one's own request `id` in a task of its own, so that it is sent even when the
    /// caller's task was cancelled; the answer, or nil when none came.
    @discardableResult
    public func withdraw(_ id: String) async -> ConduitResponse? {
        let client = self
        return await Task { try? await client.cancel(id: id) }.value
    }

    /// The active remembered approvals this user made or may see (`GET /v1/grants`), newest first.
    public func grants() async throws(ClientError) -> ConduitResponse {
        try await send(method: "GET", target: "/v1/grants")
    }

    /// Revokes remembered approval `id` (`DELETE /v1/grants/{id}`): its approver, or another
    /// approver of its submitter, may.
    public func revokeGrant(id: String) async throws(ClientError) -> ConduitResponse {
        try await send(method: "DELETE", target: "/v1/grants/\(Self.escape(id))")
    }

    /// One page of the pending requests this user may decide (`GET /v1/queue`): at most `limit`
    /// (the server's default page without it), after the previous page's `next_cursor`.
    public func queue(limit: Int? = nil, cursor: String? = nil) async throws(ClientError) -> ConduitResponse {
        var query: [String] = []
        if let limit { query.append("limit=\(limit)") }
        if let cursor { query.append("cursor=" + Self.escape(cursor)) }
        return try await send(method: "GET", target: "/v1/queue" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
    }

    /// Recent audit entries this user may see (`GET /v1/audit`), newest first, only of `action` if given.
    public func audit(action: String? = nil, limit: Int = 100) async throws(ClientError) -> ConduitResponse {
        try await send(method: "GET", target: "/v1/audit?limit=\(limit)" + (action.map { "&action=" + Self.escape($0) } ?? ""))
    }

    /// Values travel in the path or query: keep them to unreserved characters.
    static func escape(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? id
    }
}
