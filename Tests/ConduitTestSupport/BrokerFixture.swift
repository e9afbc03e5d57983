import ConduitCore
import ConduitServer
import ConduitStore
import Foundation
import Hummingbird
import HummingbirdTesting

/// A broker with known users, a temporary volume and test actions.
///
/// Users: `agent` submits; `user` and `boss` may decide for `agent`; `boss` also for `user`;
/// `stranger` may decide for nobody.
public struct BrokerFixture: Sendable {
    public static let agentSecret = "agent-secret-that-is-long-enough-0123456789"
    public static let userSecret = "user-secret-that-is-long-enough-01234567890"
    public static let bossSecret = "boss-secret-that-is-long-enough-01234567890"
    public static let strangerSecret = "stranger-secret-that-is-long-enough-012345"

    /// The host directory; its `workspace` is the volume mounted at `/workspace`.
    public let hostDirectory: String
    public let configuration: ServerConfiguration
    public let state: BrokerState

    public init(bodyLimit: Int = ServerDefaults.bodyLimit, defaultExpiry: Int = ServerDefaults.defaultExpires) throws {
        hostDirectory = TemporaryDirectory(prefix: "conduit-server-test").path
        try FileManager.default.createDirectory(atPath: hostDirectory + "/workspace", withIntermediateDirectories: true)
        var configuration = ServerConfiguration(
            secretsPath: "", volumes: [Volume(host: hostDirectory + "/workspace", container: "/workspace")],
            bodyLimit: bodyLimit, defaultExpiry: defaultExpiry)
        // Runs never start in process (the broker listens nowhere): they stay queued.
        configuration.runs = RunConfiguration(projects: ["demo": hostDirectory + "/demo"])
        self.configuration = configuration
        let runPolicies = RunPolicyParser()
        let runs = try [
            ("quick", "description: A quick task\npolicy: auto-accept\n"),
            ("careful", "description: Needs a person to start\npolicy: queue\n"),
            ("never", "description: Never runs\npolicy: auto-deny\n"),
        ].map { try runPolicies.parse($0.1, name: $0.0, file: "\($0.0).yaml") }
        let parser = ActionFileParser()
        let actions = try [
            ("noop", "description: Records the decision.\npolicy: auto-accept\n"),
            ("forbidden", "description: Always refused.\npolicy: auto-deny\n"),
            ("ask", "description: Waits for a person.\npolicy: queue\nparams: [{name: url, type: url, required: true}]\n"),
            ("ask-briefly", "description: Expires after a second.\npolicy: queue\nexpires: 1\n"),
            ("open-file", "description: Opens a file once approved.\npolicy: queue\nparams: [{name: file, type: path, required: true}]\nrun: [/bin/echo, \"{file}\"]\n"),
            ("echo", "description: Echoes.\npolicy: auto-accept\nparams: [{name: text, type: string, required: true}]\nrun: [/bin/echo, \"{text}\"]\n"),
            ("show-path", "description: Prints the host path.\npolicy: auto-accept\nparams: [{name: file, type: path, required: true}]\nrun: [/bin/echo, \"{file}\"]\n"),
            ("fail", "description: Exits 3.\npolicy: auto-accept\nrun: [/bin/sh, -c, \"echo oops >&2; exit 3\"]\n"),
            ("slow", "description: Sleeps past its timeout.\npolicy: auto-accept\nrun: [/bin/sleep, \"60\"]\ntimeout: 1\n"),
            ("missing-program", "description: Cannot start.\npolicy: auto-accept\nrun: [conduit-no-such-program]\n"),
            ("chatty", "description: Prints a lot.\npolicy: auto-accept\nrun: [/bin/sh, -c, \"head -c 200000 /dev/zero | tr '\\\\0' x\"]\n"),
        ].map { try parser.parse($0.1, name: $0.0, file: "\($0.0).yaml") }
        state = BrokerState(
            secrets: Secrets(users: [
                "agent": UserSecret(secret: Self.agentSecret),
                "user": UserSecret(secret: Self.userSecret, canApprove: ["agent"]),
                "boss": UserSecret(secret: Self.bossSecret, canApprove: ["agent", "user"]),
                "stranger": UserSecret(secret: Self.strangerSecret),
            ]), catalog: ActionCatalog(actions), runs: RunPolicyCatalog(runs))
    }

    /// A broker over a fresh in-memory store.
    public func makeBroker(clock: any BrokerClock = SystemClock()) throws -> ActionBroker {
        buildBroker(configuration: configuration, state: state, store: try ConduitStore.inMemory(clock: clock))
    }

    public func remove() { try? FileManager.default.removeItem(atPath: hostDirectory) }

    /// Runs `body` with signed clients for each user against a fresh broker's router, in process
    /// (no socket), and removes the fixture afterwards.
    public static func withRouter(
        bodyLimit: Int = ServerDefaults.bodyLimit, defaultExpiry: Int = ServerDefaults.defaultExpires,
        clock: any BrokerClock = SystemClock(), _ body: @escaping @Sendable (RouterClients) async throws -> Void
    ) async throws {
        let fixture = try BrokerFixture(bodyLimit: bodyLimit, defaultExpiry: defaultExpiry)
        defer { fixture.remove() }
        let broker = try fixture.makeBroker(clock: clock)
        let app = Application(router: buildRouter(configuration: fixture.configuration, broker: broker, startedAt: 0))
        try await app.test(.router) { client in
            try await body(RouterClients(client: client, fixture: fixture, broker: broker))
        }
    }
}

/// The signed clients ``BrokerFixture/withRouter(bodyLimit:defaultExpiry:clock:_:)`` hands a test.
public struct RouterClients: Sendable {
    public let agent, user, boss, stranger: SignedTestClient
    public let fixture: BrokerFixture
    public let broker: ActionBroker

    init(client: any TestClientProtocol, fixture: BrokerFixture, broker: ActionBroker) {
        agent = SignedTestClient(client: client, user: "agent", secret: BrokerFixture.agentSecret)
        user = SignedTestClient(client: client, user: "user", secret: BrokerFixture.userSecret)
        boss = SignedTestClient(client: client, user: "boss", secret: BrokerFixture.bossSecret)
        stranger = SignedTestClient(client: client, user: "stranger", secret: BrokerFixture.strangerSecret)
        self.fixture = fixture
        self.broker = broker
    }
}
