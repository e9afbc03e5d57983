import ConduitServer
import Testing

/// Flags > environment > config file > defaults, with the source of every value.
@Suite("Server settings")
struct ServerSettingsTests {
    static let file = (path: "conduit.yaml", text: """
        secrets: /etc/conduit/secrets.json
        port: 4000
        host: 127.0.0.2
        volumes: [/srv/w:/workspace, /srv/h:/home/claude]
        notify: [notify-send, Conduit]
        """)

    @Test func eachSourceOverridesTheOnesBelowIt() throws {
        let settings = try ServerSettings(
            flags: ["port": .integer(6000)], environment: ["CONDUIT_PORT": "5000", "CONDUIT_HOST": "::1", "HOME": "/root"],
            file: Self.file, defaultDatabase: "/state/conduit.sqlite")
        #expect(settings.values["port"]?.value == .integer(6000))
        #expect(settings.values["port"]?.source == .flag)
        #expect(settings.values["host"]?.value == .string("::1"))
        #expect(settings.values["host"]?.source == .environment)
        #expect(settings.list("volumes") == ["/srv/w:/workspace", "/srv/h:/home/claude"])
        #expect(settings.values["volumes"]?.source == .file)
        #expect(settings.list("notify") == ["notify-send", "Conduit"])
        #expect(settings.values["max-age"]?.value == .integer(30))
        #expect(settings.values["max-age"]?.source == .default)
        #expect(settings.string("db") == "/state/conduit.sqlite")
        #expect(settings.printed.contains("port: 6000  # flag"))
        #expect(settings.printed.contains("host: ::1  # environment"))
        #expect(settings.printed.contains("secrets: /etc/conduit/secrets.json  # file"))
    }

    @Test func environmentNamesAreTheKeysInUpperCase() throws {
        let settings = try ServerSettings(
            flags: [:],
            environment: [
                "CONDUIT_MAX_AGE": "60", "CONDUIT_DEFAULT_EXPIRES": "120", "CONDUIT_VOLUMES": "/a:/workspace, /b:/home/claude",
                "CONDUIT_NOTIFY": #"["logger", "-t", "conduit"]"#,
            ], file: nil, defaultDatabase: "db")
        #expect(settings.integer("max-age") == 60)
        #expect(settings.integer("default-expires") == 120)
        #expect(settings.list("volumes") == ["/a:/workspace", "/b:/home/claude"])
        #expect(settings.list("notify") == ["logger", "-t", "conduit"])
        #expect(settings.values["secrets"] == nil, "no default for the secrets file")
    }

    @Test(arguments: [
        ([:], ["CONDUIT_PORT": "http"], nil, "CONDUIT_PORT must be a whole number"),
        ([:], ["CONDUIT_PORT": "70000"], nil, "CONDUIT_PORT must be from 0 to 65535"),
        ([:], ["CONDUIT_NOTIFY": "notify-send Conduit"], nil, "CONDUIT_NOTIFY must be a JSON array"),
        (["max-age": ServerSettings.Value.integer(0)], [:], nil, "--max-age must be from 1"),
        ([:], [:], "prot: 1", "conduit.yaml: unknown setting \"prot\""),
        ([:], [:], "port: eighty", "conduit.yaml: \"port\" must be a whole number"),
        ([:], [:], "notify: notify-send", "conduit.yaml: \"notify\" must be a list of strings"),
        ([:], [:], "- a\n- b", "conduit.yaml: must be a YAML mapping"),
    ] as [([String: ServerSettings.Value], [String: String], String?, String)])
    func mistakesNameTheirSourceAndKey(
        flags: [String: ServerSettings.Value], environment: [String: String], file: String?, message: String
    ) {
        #expect {
            try ServerSettings(
                flags: flags, environment: environment, file: file.map { ("conduit.yaml", $0) }, defaultDatabase: "db")
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}
