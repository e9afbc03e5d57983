import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads secrets and actions on SIGHUP; returns (never throws) on graceful shutdown.
public struct ReloadService: Service {
    let state: BrokerState
    let logger: Logger

    public init(state: BrokerState, logger: Logger) {
        self.state = state
        self.logger = logger
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await withGracefulShutdownHandler {
            for await _ in signals.cancelOnGracefulShutdown() {
                state.reload(logger: logger)
            }
        } onGracefulShutdown: {}
    }
}
