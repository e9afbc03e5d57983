import ConduitCore
import Foundation
import Testing

@Suite("Parameter validation")
struct ParameterValidatorTests {
    static let action = ActionDefinition(
        name: "demo", description: "d",
        params: [
            ParameterSpec(name: "text", type: .string, required: false),
            ParameterSpec(name: "file", type: .path, required: false),
            ParameterSpec(name: "link", type: .url, required: false),
            ParameterSpec(name: "count", type: .integer, required: false),
            ParameterSpec(name: "flag", type: .boolean, required: false),
            ParameterSpec(name: "needed", type: .string, required: true),
        ], policy: .autoAccept)
    let validator = ParameterValidator(
        pathMapper: PathMapper(volumes: [Volume(host: "/srv/conduit/workspace", container: "/workspace")]))

    func validate(_ json: String) throws -> [String: ParameterValue] {
        try validator.validate(try ActionRequest(body: Array(json.utf8)), against: Self.action)
    }

    func code(_ json: String) -> (String, String?)? {
        do {
            _ = try validate(json)
            return nil
        } catch {
            return ((error as? RequestError)?.code ?? "?", (error as? RequestError)?.parameter)
        }
    }

    @Test func validArgumentsArePassedThroughTyped() throws {
        let values = try validate(
            #"{"action":"demo","needed":"x","text":"hé","file":"a.txt","link":"https://example.com/x?y=1","count":9223372036854775807,"flag":true}"#
        )
        #expect(values["text"] == .string("hé"))
        #expect(values["file"] == .path(MappedPath(container: "/workspace/a.txt", host: "/srv/conduit/workspace/a.txt", hostRoot: "/srv/conduit/workspace")))
        #expect(values["link"] == .url("https://example.com/x?y=1"))
        #expect(values["count"] == .integer(Int64.max))
        #expect(values["flag"] == .boolean(true))
    }

    @Test func missingUnknownAndMistypedParametersNameTheParameter() {
        #expect(code(#"{"action":"demo"}"#)! == ("missing_parameter", "needed"))
        #expect(code(#"{"action":"demo","needed":"x","extra":1}"#)! == ("unknown_parameter", "extra"))
        #expect(code(#"{"action":"demo","needed":{"a":1}}"#)! == ("invalid_parameter_type", "needed"))
        #expect(code(#"{"action":"demo","needed":"x","text":5}"#)! == ("invalid_parameter_type", "text"))
        #expect(code(#"{"action":"demo","needed":"x","flag":"true"}"#)! == ("invalid_parameter_type", "flag"))
        #expect(code(#"{"action":"demo","needed":"x","flag":1}"#)! == ("invalid_parameter_type", "flag"))
        #expect(code(#"{"action":"demo","needed":"x","file":["a"]}"#)! == ("invalid_parameter_type", "file"))
    }

    @Test(arguments: ["1.5", "1.0", "1e3", "9223372036854775808", "\"1\"", "true"])
    func integersAcceptOnlyJSONIntegersThatFitIn64Bits(_ literal: String) {
        #expect(code(#"{"action":"demo","needed":"x","count":\#(literal)}"#)! == ("invalid_parameter_type", "count"))
    }

    @Test(arguments: [
        "ftp://example.com/", "javascript:alert(1)", "file:///etc/passwd", "/relative", "http://", "https:///path",
        "http://exa mple.com", "http://example.com/\ttab", "http://example.com/\u{0}", "http://localhost@evil.com/",
        "http://user:pw@example.com", "http://example.com/\u{2028}", " http://example.com",
    ])
    func urlsMustBeAbsoluteHTTPWithAHostAndNoWhitespace(_ url: String) throws {
        let body = JSONValue.object(["action": "demo", "needed": "x", "link": .string(url)]).serialized()
        #expect(throws: RequestError.self) {
            try validator.validate(try ActionRequest(body: Array(body)), against: Self.action)
        }
    }

    @Test func stringsRefuseNULBecauseArgvCannotCarryIt() {
        #expect(code(#"{"action":"demo","needed":"a\u0000b"}"#)! == ("invalid_string", "needed"))
    }

    @Test func pathsOutsideTheVolumesAreRefusedNamingTheParameter() {
        #expect(code(#"{"action":"demo","needed":"x","file":"/etc/passwd"}"#)! == ("path_outside_volumes", "file"))
        #expect(code(#"{"action":"demo","needed":"x","file":"a\nb"}"#)! == ("invalid_path", "file"))
    }

    @Test func bodiesThatAreNotARequestObjectAreRefused() {
        #expect(throws: RequestError.self) { try ActionRequest(body: Array("not json".utf8)) }
        #expect(throws: RequestError.self) { try ActionRequest(body: Array("[1]".utf8)) }
        #expect(throws: RequestError.self) { try ActionRequest(body: Array(#"{"filename":"x"}"#.utf8)) }
        #expect(throws: RequestError.self) { try ActionRequest(body: Array(#"{"action":5}"#.utf8)) }
    }
}
