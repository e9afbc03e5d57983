import ConduitCore
import ConduitServer
import ConduitStore
import Foundation

/// A broker with known users, a temporary volume and test actions.
struct BrokerFixture {
    static let agentSecret = "agent-secret-that-is-long-enough-0123456789"
    static let userSecret = "user-secret-that-is-long-enough-01234567890"
    static let bossSecret = "boss-secret-that-is-long-enough-01234567890"
    static let strangerSecret = "stranger-secret-that-is-long-enough-012345"

    let hostDirectory: String
    let configuration: ServerConfiguration
    let state: BrokerState

    init(bodyLimit: Int = 64 * 1024, defaultExpiry: Int = 900) throws {
        var template = Array((NSTemporaryDirectory() + "/conduit-server-test.XXXXXX").utf8CString)
        hostDirectory = URL(fileURLWithPath: String(cString: mkdtemp(&template)!)).resolvingSymlinksInPath().path
        try FileManager.default.createDirectory(atPath: hostDirectory + "/workspace", withIntermediateDirectories: true)
        configuration = ServerConfiguration(
            secretsPath: "", volumes: [Volume(host: hostDirectory + "/workspace", container: "/workspace")],
            bodyLimit: bodyLimit, defaultExpiry: defaultExpiry)
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
            ]), catalog: ActionCatalog(actions))
    }

    /// A broker over a fresh in-memory store.
    func makeBroker(clock: any BrokerClock = SystemClock()) throws -> ActionBroker {
        buildBroker(configuration: configuration, state: state, store: try ConduitStore.inMemory(clock: clock))
    }

    func remove() { try? FileManager.default.removeItem(atPath: hostDirectory) }
}
