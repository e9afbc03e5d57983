import ConduitCore
import ConduitStore
import Foundation
import Logging
import ServiceLifecycle

/// Marks pending requests `expired` when their deadline passes, and trims old events.
///
/// It sleeps until the earliest deadline (at most ``longestSleep``, so a request queued meanwhile
/// with an earlier deadline is noticed within that time). Approval itself refuses an expired request
/// whether or not this service has marked it yet. Returns (never throws) on graceful shutdown.
/// Its time is the broker's clock (``ActionBroker/clock``); refusal summaries keep the wall clock
/// the signature middleware counts them by.
public struct ExpiryService: Service {
    let broker: ActionBroker
    let logger: Logger
    /// The longest sleep between sweeps.
    let longestSleep: Duration
    /// How often old events are trimmed (keeping at least the newest 1,000 and the last 24 hours).
    let pruneInterval: TimeInterval

    public init(broker: ActionBroker, logger: Logger, longestSleep: Duration = .milliseconds(500), pruneInterval: TimeInterval = 600) {
        self.broker = broker
        self.logger = logger
        self.longestSleep = longestSleep
        self.pruneInterval = pruneInterval
    }

    public func run() async throws {
        let clock = broker.clock
        await cancelWhenGracefulShutdown {
            var lastPrune = Date.distantPast
            while !Task.isCancelled {
                var sleep = longestSleep
                do {
                    let expired = try await broker.expireDue()
                    if expired > 0 { logger.info("expired \(expired) pending request(s)") }
                    if let summary = broker.refusals.endedSummary(now: Int64(Date().timeIntervalSince1970)) {
                        await SignatureMiddleware.auditSummary(summary, store: broker.store, logger: logger)
                    }
                    if clock.now().timeIntervalSince(lastPrune) >= pruneInterval {
                        lastPrune = clock.now()
                        try await broker.store.pruneEvents()
                    }
                    if let next = try await broker.store.nextExpiry() {
                        let untilNext = Duration.milliseconds(Int64(max(0, next.timeIntervalSince(clock.now())) * 1000) + 5)
                        sleep = min(sleep, untilNext)
                    }
                } catch is CancellationError {
                    return  // shutting down (or the start failed): not an error of the sweep
                } catch {
                    logger.error("expiry sweep failed: \(error)")
                }
                try? await clock.sleep(for: sleep)
            }
        }
    }
}
