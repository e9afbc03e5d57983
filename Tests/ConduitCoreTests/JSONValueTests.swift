import ConduitCore
import Foundation
import Testing

@Suite("JSON values")
struct JSONValueTests {
    @Test func serialisationIsCompactWithSortedKeys() {
        let value: JSONValue = ["b": [1, true, .null], "a": "x", "c": ["z": .number(1.5), "y": -3]]
        #expect(String(decoding: value.serialized(), as: UTF8.self) == #"{"a":"x","b":[1,true,null],"c":{"y":-3,"z":1.5}}"#)
    }

    @Test func stringsAreEscapedSoTheyReadBackExactly() throws {
        let tricky = "quote \" backslash \\ slash / newline \n tab \t nul \u{0} bell \u{7} del \u{7f} é 日本 🚀 \u{2028}"
        let serialized = JSONValue.string(tricky).serialized()
        #expect(!serialized.contains(0x0A) && !serialized.contains(0x00) && !serialized.contains(0x07))
        #expect(try JSONValue.parse(serialized) == .string(tricky))
        let foundation = try JSONSerialization.jsonObject(with: serialized, options: [.fragmentsAllowed]) as? String
        #expect(foundation == tricky)
    }

    @Test func everyKindRoundTrips() throws {
        let value: JSONValue = [
            "int": .integer(Int64.max), "neg": .integer(-42), "float": .number(0.1), "big": .number(1e300),
            "small": .number(5e-324), "bool": false, "null": .null, "empty": [:], "list": [], "nested": [["k": "v"]],
        ]
        #expect(try JSONValue.parse(value.serialized()) == value)
    }

    @Test func integersAndFloatsStayApartWhenParsed() throws {
        #expect(try JSONValue.parse(Array("1".utf8)) == .integer(1))
        #expect(try JSONValue.parse(Array("1.0".utf8)) == .number(1))
        #expect(try JSONValue.parse(Array("1e3".utf8)) == .number(1000))
        #expect(try JSONValue.parse(Array("true".utf8)) == .bool(true))
        #expect(try JSONValue.parse(Array("0".utf8)) == .integer(0))
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Array("{".utf8)) }
    }
}
