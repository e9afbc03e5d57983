import ConduitCore
import ConduitTestSupport
import Foundation
import Testing

@Suite("Action files")
struct ActionFileParserTests {
    let parser = ActionFileParser(platform: .linux)

    @Test func aCompleteFileIsRead() throws {
        let action = try parser.parse(
            """
            description: Open a URL.
            params:
              - {name: url, type: url, required: true, description: Where to go.}
              - {name: count, type: integer}
            policy: queue
            rules:
              - policy: auto-accept
                description: local
                match: {url: {glob: "http://localhost:*"}}
            run:
              linux: [xdg-open, "{url}"]
              macos: [open, "{url}"]
            timeout: 5
            """, name: "open-browser", file: "open-browser.yaml")
        #expect(action.name == "open-browser")
        #expect(action.params == [
            ParameterSpec(name: "url", type: .url, required: true, description: "Where to go."),
            ParameterSpec(name: "count", type: .integer, required: false),
        ])
        #expect(action.policy == .queue)
        #expect(action.rules.count == 1)
        #expect(action.run?.render(["url": "http://x"]) == ["xdg-open", "http://x"])
        #expect(action.timeout == 5)
    }

    @Test func theMacOSCommandIsChosenOnMacOS() throws {
        let yaml = "description: d\npolicy: auto-accept\nrun: {linux: [a], macos: [b]}\n"
        let action = try ActionFileParser(platform: .macos).parse(yaml, name: "x", file: "x.yaml")
        #expect(action.run?.render([:]) == ["b"])
    }

    @Test func aFileWithoutRunIsDecisionOnly() throws {
        let action = try parser.parse("description: d\npolicy: auto-accept\n", name: "noop", file: "noop.yaml")
        #expect(action.run == nil)
        #expect(action.params.isEmpty)
        #expect(action.timeout == 30)
    }

    @Test(arguments: [
        ("description: d\npolicy: maybe\n", "policy"),
        ("policy: queue\n", "description"),
        ("description: d\npolicy: queue\npolcy: queue\n", "polcy"),
        ("description: d\npolicy: queue\nparams: [{name: a, type: float}]\n", "params[0].type"),
        ("description: d\npolicy: queue\nparams: [{name: action, type: string}]\n", "params[0].name"),
        ("description: d\npolicy: queue\nparams: [{name: a, type: string}, {name: a, type: string}]\n", "params[1].name"),
        ("description: d\npolicy: queue\nparams: [{name: a, type: string, required: sometimes}]\n", "params[0].required"),
        ("description: d\npolicy: queue\nrun: [echo, \"{b}\"]\n", "run[1]"),
        ("description: d\npolicy: queue\nrun: [echo, \"{b\"]\n", "run[1]"),
        ("description: d\npolicy: queue\nparams: [{name: a, type: string}]\nrun: [\"{a}\"]\n", "run[0]"),
        ("description: d\npolicy: queue\nrun: {windows: [x]}\n", "run.windows"),
        ("description: d\npolicy: queue\nrun: {macos: [x]}\n", "run"),
        ("description: d\npolicy: queue\ntimeout: 0\n", "timeout"),
        ("description: d\npolicy: queue\nrules: [{policy: queue, match: {nope: {glob: x}}}]\n", "rules[0].match.nope"),
        ("description: d\npolicy: queue\nparams: [{name: a, type: string}]\nrules: [{policy: queue, match: {a: {regex: '('}}}]\n", "rules[0].match.a.regex"),
        ("description: d\npolicy: queue\nparams: [{name: a, type: string}]\nrules: [{policy: sometimes, match: {a: {glob: x}}}]\n", "rules[0].policy"),
        ("description: d\npolicy: queue\nparams: [{name: a, type: string}]\nrules: [{policy: queue, match: {a.b: {glob: x}}}]\n", "rules[0].match.a.b"),
        ("description: d\npolicy: queue\nparams: [{name: a, type: object}]\nrules: [{policy: queue, match: {a.: {glob: x}}}]\n", "rules[0].match.a."),
        ("description: d\npolicy: queue\nparams: [{name: a, type: object}]\nrules: [{policy: queue, match: {b.c: {glob: x}}}]\n", "rules[0].match.b.c"),
        ("description: d\npolicy: queue\nparams: [{name: a, type: list}]\n", "params[0].type"),
    ])
    func anInvalidFileNamesTheFieldAtFault(yaml: String, field: String) {
        #expect {
            try parser.parse(yaml, name: "broken", file: "actions/broken.yaml")
        } throws: { error in
            guard let error = error as? ActionCatalogError else { return false }
            return error.file == "actions/broken.yaml" && error.field == field
        }
    }

    @Test func aRuleCanMatchAFieldInsideAnObjectParameter() throws {
        let action = try parser.parse(
            """
            description: d
            policy: queue
            params: [{name: input, type: object, required: true}]
            rules: [{policy: auto-deny, match: {input.options.mode: {glob: force}}}]
            """, name: "x", file: "x.yaml")
        let condition = try #require(action.rules.first?.conditions.first)
        #expect(condition.parameter == "input")
        #expect(condition.fieldPath == ["options", "mode"])
    }

    @Test func notYAMLIsRefused() {
        #expect(throws: ActionCatalogError.self) {
            try parser.parse("description: [unclosed", name: "x", file: "x.yaml")
        }
    }

    @Test func theShippedActionsAreValid() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("actions").path
        let catalog = try ActionCatalog.load(from: directory, parser: parser)
        #expect(catalog.names == ["edit-file", "list-actions", "open-browser", "open-terminal", "run", "tool-use"])
        #expect(catalog["edit-file"]?.policy == .autoAccept)
        #expect(catalog["edit-file"]?.parameter(named: "filename")?.type == .path)
        #expect(catalog["open-browser"]?.policy == .queue)
        #expect(catalog["open-browser"]?.parameter(named: "url")?.type == .url)
        #expect(catalog["open-terminal"]?.parameter(named: "path")?.required == false)
        #expect(catalog["list-actions"]?.builtin == .listActions)
        #expect(catalog["run"]?.builtin == .runStart, "the start of a queued run, built in")
        #expect(catalog["tool-use"]?.parameter(named: "input")?.type == .object)
        #expect(catalog["tool-use"]?.run == nil)
        #expect(catalog["tool-use"]?.expires == 540)
    }

    @Test func aCatalogWithOneBadFileFailsNamingIt() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("good.yaml", "description: d\npolicy: queue\n")
        try directory.write("bad.yml", "description: d\npolicy: nope\n")
        try directory.write("README.md", "not an action")
        #expect {
            try ActionCatalog.load(from: directory.path, parser: parser)
        } throws: { ($0 as? ActionCatalogError)?.file == directory.file("bad.yml") }
        try directory.write("bad.yml", "description: d\npolicy: auto-deny\n")
        #expect(try ActionCatalog.load(from: directory.path, parser: parser).names == ["bad", "good", "list-actions", "run"])
    }

    @Test(arguments: ["list-actions", "run"])
    func aBuiltInActionCannotBeRedefined(name: String) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        // An action file named run.yaml would make the approval of a run's start run its command.
        try directory.write("\(name).yaml", "description: d\npolicy: auto-accept\nrun: [touch, /tmp/x]\n")
        #expect(throws: ActionCatalogError(file: directory.file("\(name).yaml"), field: "", reason: "\"\(name)\" is built in; rename the file")) {
            try ActionCatalog.load(from: directory.path, parser: parser)
        }
    }
}
