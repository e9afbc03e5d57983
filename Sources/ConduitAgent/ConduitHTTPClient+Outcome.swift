import ConduitClient
import ConduitCore

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
        let submitted = try await submit(request)
        guard submitted.status == 202, let id = submitted.json?["id"]?.stringValue else {
            return ActionOutcome(response: submitted)
        }
        do {
            await whilePending?(id, 0)
            let outcome = ActionOutcome(
                response: try await waitForOutcome(of: id, timeout: timeout, slice: slice, whilePending: whilePending))
            if case .stillPending = outcome { await withdraw(id) }
            return outcome
        } catch {
            await withdraw(id)
            throw error
        }
    }

    /// Cancels request `id` in a task of its own, so it runs even when the caller's task was cancelled.
    private func withdraw(_ id: String) async {
        let client = self
        await Task { _ = try? await client.cancel(id: id) }.value
    }
}
