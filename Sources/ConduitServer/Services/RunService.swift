import ServiceLifecycle

/// Ends the processes of active runs when the broker stops gracefully (they are marked
/// `interrupted` at the next start); returns (never throws) on graceful shutdown.
public struct RunService: Service {
    let supervisor: RunSupervisor

    public init(supervisor: RunSupervisor) {
        self.supervisor = supervisor
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(3600))
            }
        }
        supervisor.stop()
    }
}
