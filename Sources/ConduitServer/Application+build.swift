import ConduitCore
import Foundation
import Hummingbird
import Logging

/// Builds the broker's router, so tests exercise exactly what `ccc-server` serves.
public func buildRouter(
    configuration: ServerConfiguration, state: BrokerState, store: ActionRecordStore = ActionRecordStore(),
    startedAt: Int64 = Int64(Date().timeIntervalSince1970)
) -> Router<ConduitRequestContext> {
    let router = Router(context: ConduitRequestContext.self)
    router.add(middleware: JSONErrorMiddleware())
    router.get("healthz") { _, _ in try JSONResponse.make(.ok, ["status": "ok"]) }
    let authenticator = RequestAuthenticator(
        maxAge: configuration.maxAge, maxSkew: configuration.maxSkew, startedAt: startedAt)
    let broker = ActionBroker(
        state: state, store: store, pathMapper: PathMapper(volumes: configuration.volumes, root: configuration.root),
        runner: ActionRunner(outputLimit: configuration.outputLimit))
    let v1 = router.group("v1").add(
        middleware: SignatureMiddleware(state: state, authenticator: authenticator, bodyLimit: configuration.bodyLimit))
    ActionsController(broker: broker).addRoutes(to: v1)
    return router
}

/// Builds the whole application: router, bound address, SIGHUP reloading.
/// - Parameter onServerRunning: called with the bound port once the server listens.
public func buildApplication(
    configuration: ServerConfiguration, logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let state = try BrokerState(secretsPath: configuration.secretsPath, actionsDirectory: configuration.actionsDirectory)
    let router = buildRouter(configuration: configuration, state: state)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "conduit"),
        services: [ReloadService(state: state, logger: logger)],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}
