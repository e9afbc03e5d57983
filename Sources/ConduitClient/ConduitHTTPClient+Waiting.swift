import ConduitCore
import Foundation

extension ConduitHTTPClient {
    /// Submits `request` and, when it is queued, waits for its outcome (see ``waitForOutcome(of:timeout:slice:whilePending:)``).
    ///
    /// The answer is the submission's (200 done, 403 denied, 400/404/413 refused) or, for a queued
    /// request, the record as it stood when it became final or `timeout` seconds ran out.
    public func submitAndWait(
        _ request: JSONValue, timeout: Int, slice: Int = 300,
        whilePending: (@Sendable (_ id: String, _ waited: Int) async -> Void)? = nil
    ) async throws(ClientError) -> ConduitResponse {
        let submitted = try await submit(request)
        guard submitted.status == 202, let id = submitted.json?["id"]?.stringValue else { return submitted }
        return try await waitForOutcome(of: id, timeout: timeout, slice: slice, whilePending: whilePending)
    }

    /// Asks for record `id` with `?wait=` (at most `slice` ≤ 300 s a time) until it is final or
    /// `timeout` seconds pass; `whilePending` runs after each slice that ended with no outcome.
    public func waitForOutcome(
        of id: String, timeout: Int, slice: Int = 300,
        whilePending: (@Sendable (_ id: String, _ waited: Int) async -> Void)? = nil
    ) async throws(ClientError) -> ConduitResponse {
        let started = Date()
        let deadline = started.addingTimeInterval(TimeInterval(timeout))
        let slice = min(max(slice, 1), 300)
        while true {
            let remaining = Int(deadline.timeIntervalSinceNow.rounded(.up))
            let response = try await record(id: id, wait: min(max(remaining, 0), slice))
            guard response.status == 200, let status = response.json?["status"]?.stringValue else { return response }
            if status != "pending" && status != "running" { return response }
            if deadline.timeIntervalSinceNow <= 0 { return response }
            await whilePending?(id, Int(Date().timeIntervalSince(started)))
        }
    }
}
