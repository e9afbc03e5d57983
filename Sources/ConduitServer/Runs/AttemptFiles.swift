import ConduitCore
import Foundation

/// What one attempt's runner is started with, outside its worktree: the attempt's credential (a
/// secrets file of one user, mode 0600), the settings wiring `ccc-client hook` as the PreToolUse
/// hook, and the MCP configuration naming `ccc-client mcp` — in a directory of mode 0700 under the
/// broker's data directory, removed when the attempt ends.
struct AttemptFiles: Sendable {
    let directory: String
    var secrets: String { directory + "/secrets.json" }
    var settings: String { directory + "/settings.json" }
    var mcpConfig: String { directory + "/mcp.json" }

    /// Writes the three files for `credential` into `directory` (created, 0700).
    static func write(credential: RunCredentials.Credential, client: String, in directory: String) throws -> AttemptFiles {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        chmod(directory, 0o700)
        let files = AttemptFiles(directory: directory)
        let secrets = Secrets(users: [credential.keyID: UserSecret(secret: credential.secret)])
        try SecretsFile.write(secrets, to: files.secrets, overwrite: true)
        let hook: JSONValue = [
            "hooks": [
                "PreToolUse": [["matcher": "*", "hooks": [["type": "command", "command": .string(shellQuoted(client) + " hook"), "timeout": 600]]]]
            ]
        ]
        let mcp: JSONValue = ["mcpServers": ["conduit": ["type": "stdio", "command": .string(client), "args": ["mcp"]]]]
        try hook.serialized().write(to: URL(fileURLWithPath: files.settings))
        try mcp.serialized().write(to: URL(fileURLWithPath: files.mcpConfig))
        return files
    }

    /// Removes the directory (the credential is revoked separately, in memory).
    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// `text` as one word for `sh` (Claude Code runs a hook's command through a shell).
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The runner's whole environment: `PATH`, `HOME` and `LANG` from the broker's, the variables
    /// the runner itself needs (``AgentRunner/passesEnvironment(_:)``), the hook's own (`CCC_*`),
    /// and the run's marker. Nothing else of the broker's environment reaches the agent.
    static func environment(
        broker: [String: String], runner: any AgentRunner, run: String, credential: RunCredentials.Credential,
        secretsFile: String, brokerURL: String
    ) -> [String: String] {
        var environment: [String: String] = [:]
        for (name, value) in broker where ["PATH", "HOME", "LANG"].contains(name) || runner.passesEnvironment(name) {
            environment[name] = value
        }
        environment["CCC_SERVER"] = brokerURL
        environment["CCC_SECRETS"] = secretsFile
        environment["CCC_USER"] = credential.keyID
        environment[RunProcesses.markerName] = run
        return environment
    }
}
