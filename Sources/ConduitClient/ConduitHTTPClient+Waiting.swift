import ConduitCore
import NIOCore
import Foundation

extension ConduitHTTPClient {
    /// Asks for record `id` with `?wait=` (at most `slice` ≤ 300 s a time) until it is final or
    /// `timeout` seconds pass; `whilePending` runs after each slice that ended with no outcome.
    public func waitForOutcome(
        of id: String, timeout: Int, slice: Int = 300,
        whilePending: (@Sendable (_ id: String, _ waited: Int) async -> Void)? = nil
    ) async throws(ClientError) -> ConduitResponse {
        let started = Date()
        var deadline = started.addingTimeInterval(TimeInterval(timeout))
        if let overall = self.deadline {
            let left = Double((overall - .now()).nanoseconds) / 1e9
            deadline = min(deadline, Date().addingTimeInterval(left - 0.25))
        }
        let slice = min(max(slice, 1), 300)
        while true {
            // The broker holds a `?wait=` for whole seconds: ask for no more than is left.
            let remaining = Int(deadline.timeIntervalSinceNow.rounded(.down))
            let response = try await record(id: id, wait: min(max(remaining, 0), slice))
            guard response.status == 200, let status = response.recordStatus, !status.isFinal else { return response }
            if deadline.timeIntervalSinceNow <= 0 { return response }
            await whilePending?(id, Int(Date().timeIntervalSince(started)))
        }
    }
}
