import ConduitCore
import Testing

@Suite("Command templates")
struct CommandTemplateTests {
    @Test func aPlaceholderIsReplacedInsideItsOwnArgumentAndNeverSplit() throws {
        let template = try CommandTemplate(["open", "--line={line}", "{file}"])
        #expect(template.render(["line": "3", "file": "/a b; rm -rf /"]) == ["open", "--line=3", "/a b; rm -rf /"])
    }

    @Test func anArgumentNamingAnAbsentOptionalParameterIsLeftOut() throws {
        let template = try CommandTemplate(["term", "--working-directory={path}", "--new"])
        #expect(template.render([:]) == ["term", "--new"])
    }

    @Test func doubledBracesAreLiteral() throws {
        let template = try CommandTemplate(["echo", "{{not}} {x}"])
        #expect(template.render(["x": "y"]) == ["echo", "{not} y"])
        #expect(template.parameters == ["x"])
    }

    @Test func malformedPlaceholdersAreRefused() {
        #expect(throws: CommandTemplate.TemplateError.self) { try CommandTemplate(["echo", "{"]) }
        #expect(throws: CommandTemplate.TemplateError.self) { try CommandTemplate(["echo", "}"]) }
        #expect(throws: CommandTemplate.TemplateError.self) { try CommandTemplate(["echo", "{a b}"]) }
        #expect(throws: CommandTemplate.TemplateError.self) { try CommandTemplate([]) }
    }
}
