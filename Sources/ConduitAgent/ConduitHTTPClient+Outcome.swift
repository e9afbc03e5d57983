import ConduitClient
import ConduitCore
import NIOCore

extension ConduitHTTPClient {
    /// Submits `request`, waits for the outcome of a queued one, and withdraws it
    /// (`DELETE /v1/actions/{id}`) when the wait ends without one — the timeout ran out, the
    /// connection failed, or the calling task was cancelled — so no abandoned request runs later.
    ///
    /// - Parameters:
    ///   - slice: the longest single `?wait=` (≤ 300 s); `whilePending` runs after each slice
    ///     without an outcome, and once as soon as the request is queued (waited 0).
    public func outcome(
        of request: JSONValue, timeout: Int, slice: Int = 300,
        whilePending: (@Sendable (_ id: String, _ waited: Int) async -> Void)? = nil
    ) async throws(ClientError) -> ActionOutcome {
        // One deadline for everything: submit and waits end early enough to leave the withdrawal
        // its budget, and the withdrawal ends by `timeout` — whatever the broker does.
        let end = NIODeadline.now() + .milliseconds(Int64(max(timeout, 0)) * 1000)
        let budget = Self.withdrawalBudget(forTimeout: timeout)
        let asking = bounded(by: end - budget)
        let submitted = try await asking.submit(request)
        guard submitted.status == 202, let id = submitted.json?["id"]?.stringValue else {
            return ActionOutcome(response: submitted)
        }
        let withdrawing = bounded(by: end)
        do {
            await whilePending?(id, 0)
            let outcome = ActionOutcome(
                response: try await asking.waitForOutcome(of: id, timeout: timeout, slice: slice, whilePending: whilePending))
            if case .stillPending = outcome { await withdrawing.withdraw(id) }
            return outcome
        } catch {
            await withdrawing.withdraw(id)
            throw error
        }
    }

    /// The time kept for withdrawing a request when the wait ends: 2 s, or a quarter of a short timeout.
    public static func withdrawalBudget(forTimeout timeout: Int) -> TimeAmount {
        .milliseconds(min(2000, Int64(max(timeout, 0)) * 250))
    }
}
