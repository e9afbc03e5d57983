import ConduitCore
import ConduitServer
import Testing

/// What `ccc-server` runs with, from resolved settings (the executable only parses flags).
@Suite("Server configuration from settings")
struct ServerConfigurationSettingsTests {
    static func settings(_ flags: [String: ServerSettings.Value] = [:], file: (path: String, text: String)? = nil) throws
        -> ServerSettings
    {
        try ServerSettings(flags: flags, environment: [:], file: file, defaultDatabase: "/state/conduit.sqlite")
    }

    @Test func theDefaultsAreTheSettingsDefaults() throws {
        let configuration = try ServerConfiguration(
            settings: try Self.settings(["secrets": .string("secrets.json")]), workingDirectory: "/home/me/conduit")
        #expect(configuration.secretsPath == "secrets.json")
        #expect(configuration.databasePath == "/state/conduit.sqlite")
        #expect(configuration.actionsDirectory == "actions")
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 3015)
        #expect(configuration.root == "/workspace")
        #expect(configuration.volumes.map(\.host) == ["/home/me/conduit/data/workspace", "/home/me/conduit/data/claude-home"])
        #expect(configuration.volumes.map(\.container) == ["/workspace", "/home/claude"])
        #expect(configuration.maxAge == 30 && configuration.maxSkew == 5)
        #expect(configuration.bodyLimit == 64 * 1024)
        #expect(configuration.defaultExpiry == 900)
        #expect(configuration.heartbeat == .seconds(15))
        #expect(configuration.eventBuffer == 10_000)
        #expect(configuration.notify == nil)
    }

    @Test func theDefaultVolumesAreShownAsTheDefaultTheyAre() throws {
        let defaults = ServerDefaults.volumes(workingDirectory: "/home/me/conduit").map(\.description)
        let settings = try ServerSettings(flags: [:], environment: [:], file: nil, defaultDatabase: "/db", defaultVolumes: defaults)
        #expect(settings.printed.contains("volumes: [/home/me/conduit/data/workspace:/workspace, /home/me/conduit/data/claude-home:/home/claude]  # default"))
    }

    @Test func everyOtherProblemIsFoundBeforeTheMissingSecretsFile() throws {
        // `config print` runs without a secrets file, and must still refuse what `serve` refuses.
        let bad = try Self.settings(["volumes": .list(["bogus"])])
        #expect {
            try ServerConfiguration(settings: bad, workingDirectory: "/w")
        } throws: { ($0 as? ServerSettings.Problem)?.description == "invalid volume \"bogus\": expected HOST:CONTAINER" }
        #expect(throws: ServerSettings.Problem.missingSecrets) { try ServerConfiguration(settings: try Self.settings(), workingDirectory: "/w") }
    }

    @Test func givenValuesArriveWhereTheyBelong() throws {
        let settings = try Self.settings(
            ["secrets": .string("/etc/s.json"), "port": .integer(0), "event-buffer": .integer(16),
             "volumes": .list(["/srv/w:/workspace"]), "notify": .list(["notify-send", "Conduit"])])
        let configuration = try ServerConfiguration(settings: settings, workingDirectory: "/ignored")
        #expect(configuration.port == 0)
        #expect(configuration.eventBuffer == 16)
        #expect(configuration.volumes.map(\.host) == ["/srv/w"])
        #expect(configuration.notify == ["notify-send", "Conduit"])
    }

    @Test(arguments: [
        ([:], "the secrets file is required"),
        (["secrets": .string("s.json"), "root": .string("workspace")], "root must be an absolute container path"),
        (["secrets": .string("s.json"), "log-level": .string("loud")], "log-level must be one of"),
    ] as [([String: ServerSettings.Value], String)])
    func aMistakeSaysWhatToGive(flags: [String: ServerSettings.Value], message: String) throws {
        let settings = try Self.settings(flags)
        let problem: String
        do {
            _ = try ServerConfiguration(settings: settings, workingDirectory: "/w")
            _ = try settings.logLevel()
            problem = ""
        } catch {
            problem = error.description
        }
        #expect(problem.contains(message), "\(problem)")
    }

    @Test func runsDefaultToAnOptionalRunsDirectoryTwoSlotsAndClaudeOnThePath() throws {
        let runs = try ServerConfiguration(settings: try Self.settings(["secrets": .string("s.json")]), workingDirectory: "/w").runs
        #expect(runs == RunConfiguration(policiesDirectory: "runs", policiesRequired: false, projects: [:], maxActiveRuns: 2, runnerProgram: "claude"))
    }

    @Test func projectsComeFromFlagsTheEnvironmentOrAMappingInTheFileAndAreMadeAbsolute() throws {
        let fromFlags = try ServerConfiguration(
            settings: try Self.settings([
                "secrets": .string("s.json"), "projects": .list(["demo=repo", "other=/srv/other/"]), "runs": .string("my-runs"),
                "claude": .string("bin/claude"), "worktrees": .string("trees"),
            ]), workingDirectory: "/home/me").runs
        #expect(fromFlags.projects == ["demo": "/home/me/repo", "other": "/srv/other"])
        #expect(fromFlags.policiesDirectory == "my-runs" && fromFlags.policiesRequired, "a --runs given must exist")
        #expect(fromFlags.runnerProgram == "/home/me/bin/claude" && fromFlags.worktrees == "/home/me/trees")
        let environment = try ServerSettings(
            flags: ["secrets": .string("s.json")], environment: ["CONDUIT_PROJECTS": "a=/x, b=/y", "CONDUIT_MAX_ACTIVE_RUNS": "4"],
            file: nil, defaultDatabase: "/db")
        let fromEnvironment = try ServerConfiguration(settings: environment, workingDirectory: "/w").runs
        #expect(fromEnvironment.projects == ["a": "/x", "b": "/y"] && fromEnvironment.maxActiveRuns == 4)
        let file = try Self.settings(["secrets": .string("s.json")], file: ("conduit.yaml", "projects: {demo: /srv/demo, web: site}\n"))
        #expect(try ServerConfiguration(settings: file, workingDirectory: "/w").runs.projects == ["demo": "/srv/demo", "web": "/w/site"])
    }

    @Test(arguments: ["demo", "Demo=/x", "=/x", "demo=", "a b=/x"])
    func aMalformedProjectIsRefusedSayingTheForm(text: String) throws {
        let settings = try Self.settings(["secrets": .string("s.json"), "projects": .list([text])])
        #expect(throws: ServerSettings.Problem.self) { try ServerConfiguration(settings: settings, workingDirectory: "/w") }
    }

    @Test func aProjectNamedTwiceIsRefused() throws {
        let settings = try Self.settings(["secrets": .string("s.json"), "projects": .list(["demo=/a", "demo=/b"])])
        #expect {
            try ServerConfiguration(settings: settings, workingDirectory: "/w")
        } throws: { ($0 as? ServerSettings.Problem)?.description == "project \"demo\" is named twice" }
    }
}
