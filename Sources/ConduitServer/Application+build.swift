import ConduitCore
import ConduitStore
import Foundation
import Hummingbird
import Logging

/// Builds the broker that `buildRouter` serves (and the expiry service sweeps).
public func buildBroker(
    configuration: ServerConfiguration, state: BrokerState, store: ConduitStore,
    logger: Logger = Logger(label: "conduit.broker")
) -> ActionBroker {
    ActionBroker(
        state: state, store: store, pathMapper: PathMapper(volumes: configuration.volumes, root: configuration.root),
        runner: ActionRunner(outputLimit: configuration.outputLimit), defaultExpiry: configuration.defaultExpiry,
        notify: configuration.notify, metrics: BrokerMetrics(), logger: logger)
}

/// Builds the broker's router, so tests exercise exactly what `ccc-server` serves.
public func buildRouter(
    configuration: ServerConfiguration, broker: ActionBroker, startedAt: Int64 = Int64(Date().timeIntervalSince1970),
    start: ServerStart? = nil, supervisor: RunSupervisor? = nil
) -> Router<ConduitRequestContext> {
    let supervisor =
        supervisor
        ?? RunSupervisor(
            broker: broker, configuration: configuration.runs,
            dataDirectory: RunConfiguration.dataDirectory(databasePath: configuration.databasePath))
    let router = Router(context: ConduitRequestContext.self)
    router.add(middleware: JSONErrorMiddleware())
    router.add(middleware: SingleHostMiddleware())
    router.get("healthz") { _, _ in try JSONResponse.make(.ok, ["status": "ok"]) }
    router.get("openapi.yaml") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
    }
    // Unauthenticated, like /healthz: keep the server on loopback (see README, "Metrics").
    router.get("metrics") { _, _ in
        broker.metrics.storage(broker.store.storageHealth)
        broker.metrics.activeWaits(broker.activeWaits.current)
        broker.metrics.queueDepth((try? await broker.store.pendingCount()) ?? -1)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: broker.metrics.exposition())))
    }
    let authenticator =
        start.map { RequestAuthenticator(maxAge: configuration.maxAge, maxSkew: configuration.maxSkew, start: $0) }
        ?? RequestAuthenticator(maxAge: configuration.maxAge, maxSkew: configuration.maxSkew, startedAt: startedAt)
    let v1 = router.group("v1")
        .add(middleware: RequestLogMiddleware(metrics: broker.metrics))
        .add(
            middleware: SignatureMiddleware(
                state: broker.state, authenticator: authenticator, bodyLimit: configuration.bodyLimit, store: broker.store,
                refusals: broker.refusals, runCredentials: broker.runCredentials))
    ActionsController(broker: broker).addRoutes(to: v1)
    GrantsController(broker: broker).addRoutes(to: v1)
    AuditController(broker: broker).addRoutes(to: v1)
    StatusController(broker: broker).addRoutes(to: v1)
    EventsController(broker: broker, heartbeat: configuration.heartbeat, bufferSize: configuration.eventBuffer)
        .addRoutes(to: v1)
    RunsController(supervisor: supervisor, broker: broker, heartbeat: configuration.heartbeat).addRoutes(to: v1)
    return router
}

/// Builds the whole application: database (requests left running by a stop are marked failed),
/// router, bound address, SIGHUP reloading, expiry.
/// - Parameter onServerRunning: called with the bound port once the server listens.
public func buildApplication(
    configuration: ServerConfiguration, logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    // Requests signed in the second the broker started, or earlier, are refused (see RequestAuthenticator);
    // the start follows steps of the wall clock (ServerStart).
    let start = ServerStart(wallSeconds: Date().timeIntervalSince1970)
    let acceptingFrom = start.firstAcceptedSecond
    let state = try BrokerState(
        secretsPath: configuration.secretsPath, actionsDirectory: configuration.actionsDirectory,
        runsDirectory: configuration.runs.policiesDirectory, runsRequired: configuration.runs.policiesRequired)
    for (name, path) in configuration.runs.projects.sorted(by: { $0.key < $1.key }) where !(await RunWorktrees.isRepository(path)) {
        let problem = "project \(name): \(path) is not a git work tree (runs work in git worktrees of it)"
        logger.critical("refusing to start: \(problem)")
        throw ServerSettings.Problem(description: problem)
    }
    let store = ConduitStore(database: try ConduitDatabase.open(path: configuration.databasePath), auditing: configuration.auditing)
    do {
        try await store.checkIntegrity()
    } catch {
        logger.critical("refusing to start: \(error)")
        throw error
    }
    let broker = buildBroker(configuration: configuration, state: state, store: store, logger: logger)
    do {
        try HandlerTether.requireExecutable(at: broker.runner.tether)
    } catch {
        logger.critical("refusing to start: \(error)")
        throw error
    }
    if !configuration.auditing { logger.warning("the audit log is OFF (--benchmark-without-audit): use this only to measure its cost") }
    let interrupted = try await store.failInterruptedRequests()
    if interrupted > 0 {
        logger.warning("marked \(interrupted) request(s) left running by a previous stop as failed (not run again)")
    }
    let descriptorLimit = ConnectionLimiter.raiseDescriptorLimit()
    let limiter = ConnectionLimiter(capacity: ConnectionLimiter.capacity(forDescriptorLimit: descriptorLimit))
    logger.info("serving at most \(limiter.capacity) connections (descriptor limit \(descriptorLimit))")
    if !PathMapper.kernelCheckAvailable {
        logger.warning(
            "openat2 is not available (Linux 5.6 or later is needed): paths are checked without the kernel's verdict, and actions with open: read|write cannot run")
    }
    let supervisor = RunSupervisor(
        broker: broker, configuration: configuration.runs,
        dataDirectory: RunConfiguration.dataDirectory(databasePath: configuration.databasePath), logger: logger)
    try await supervisor.recover()
    let router = buildRouter(
        configuration: configuration, broker: broker, startedAt: acceptingFrom, start: start, supervisor: supervisor)
    // Accepted nonces live in memory, so a request accepted by the previous process in this very
    // second could be replayed now: listen only once the first whole second after the start begins.
    let untilAccepting = Double(acceptingFrom) - Date().timeIntervalSince1970
    if untilAccepting > 0 { try await Task.sleep(for: .milliseconds(Int(untilAccepting * 1000) + 1)) }
    return Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers: [limiter.handler(), HalfCloseHandler()])),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "conduit"),
        services: [
            ReloadService(state: state, logger: logger), ExpiryService(broker: broker, logger: logger),
            RunService(supervisor: supervisor),
        ],
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            await supervisor.serve(at: RunSupervisor.loopbackURL(host: configuration.host, port: port))
            await onServerRunning(port)
        },
        logger: logger)
}
