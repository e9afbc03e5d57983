import ConduitStore
import Foundation
import Metrics
import Prometheus

/// The broker's Prometheus metrics, recorded through swift-metrics into a registry of its own
/// (no global bootstrap, so every router — and every test — has its own).
///
/// - `conduit_requests_total{action, outcome}`: submissions by action and outcome (`completed`,
///   `failed`, `pending`, `denied`, `rejected`). Unknown action names are counted as `unknown`, so
///   a client cannot grow the label set.
/// - `conduit_authentication_failures_total{reason}`: refusals before authentication, by code.
/// - `conduit_queue_depth`: pending requests (set at each scrape).
/// - `conduit_time_to_decision_seconds`: from submission to a person's decision (histogram).
/// - `conduit_handler_duration_seconds{action}`: how long commands ran (histogram).
/// - `conduit_waits_active`: `?wait=` requests waiting now (an abandoned one ends with its connection).
/// - `conduit_storage_failures{kind}`: storage failures since the start (`full`, `unavailable`), and
///   `conduit_storage_failing`: 1 while the last write failed (both set at each scrape).
public final class BrokerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["conduit_time_to_decision_seconds"] = [
            .seconds(1), .seconds(5), .seconds(15), .seconds(30), .seconds(60), .seconds(120), .seconds(300), .seconds(600),
            .seconds(900), .seconds(1800), .seconds(3600),
        ]
        self.factory = factory
    }

    func request(action: String, outcome: String) {
        Counter(label: "conduit_requests_total", dimensions: [("action", action), ("outcome", outcome)], factory: factory)
            .increment()
    }

    func authenticationFailure(reason: String) {
        Counter(label: "conduit_authentication_failures_total", dimensions: [("reason", reason)], factory: factory)
            .increment()
    }

    func queueDepth(_ depth: Int) {
        Gauge(label: "conduit_queue_depth", factory: factory).record(depth)
    }

    func timeToDecision(_ seconds: TimeInterval) {
        Metrics.Timer(label: "conduit_time_to_decision_seconds", factory: factory)
            .recordNanoseconds(Int64(max(0, seconds) * 1e9))
    }

    func handlerDuration(action: String, _ duration: Duration) {
        Metrics.Timer(label: "conduit_handler_duration_seconds", dimensions: [("action", action)], factory: factory)
            .record(duration: duration)
    }

    /// `?wait=` requests waiting now.
    func activeWaits(_ count: Int) {
        Gauge(label: "conduit_waits_active", factory: factory).record(count)
    }

    /// Storage failures by kind and whether storage is failing now (set at each scrape).
    func storage(_ health: StorageHealth) {
        for kind in [StorageFailure.Kind.full, .unavailable] {
            Gauge(label: "conduit_storage_failures", dimensions: [("kind", kind.rawValue)], factory: factory)
                .record(health.failureCounts[kind] ?? 0)
        }
        Gauge(label: "conduit_storage_failing", factory: factory).record(health.currentFailure == nil ? 0 : 1)
    }

    /// The text exposition format.
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
