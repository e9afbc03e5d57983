import ConduitAgent
import ConduitCore
import Testing

/// Actions as MCP tools: names, descriptions and the JSON Schema of their parameters.
@Suite("Actions as tools")
struct ActionToolTests {
    let listing: JSONValue = [
        "actions": [
            ["name": "list-actions", "description": "List.", "policy": "auto-accept", "params": []],
            [
                "name": "edit-file", "description": "Open a file.", "policy": "auto-accept",
                "params": [
                    ["name": "filename", "type": "path", "required": true, "description": "The file."],
                    ["name": "line", "type": "integer", "required": false, "description": ""],
                ],
            ],
            [
                "name": "open-browser", "description": "Open a URL.", "policy": "queue",
                "params": [["name": "url", "type": "url", "required": true, "description": "Where."]],
            ],
            [
                "name": "tool-use", "description": "Gate.", "policy": "queue",
                "params": [["name": "input", "type": "object", "required": true, "description": ""]],
            ],
            [
                "name": "flags", "description": "Flags.", "policy": "auto-deny",
                "params": [
                    ["name": "on", "type": "boolean", "required": false, "description": ""],
                    ["name": "options", "type": "object", "required": false, "description": "More."],
                    ["name": "note", "type": "string", "required": false, "description": ""],
                ],
            ],
        ]
    ]

    @Test func everyActionButTheListingAndTheGateIsATool() {
        #expect(ActionTool.tools(fromListing: listing).map(\.name) == ["edit-file", "open-browser", "flags"])
    }

    @Test func theSchemaDeclaresTypesRequiredParametersAndNothingElse() throws {
        let tool = try #require(ActionTool.tools(fromListing: listing).first)
        #expect(tool.description == "Open a file.")
        #expect(tool.inputSchema["type"] == "object")
        #expect(tool.inputSchema["required"] == ["filename"])
        #expect(tool.inputSchema["additionalProperties"] == false)
        let filename = try #require(tool.inputSchema["properties"]?["filename"])
        #expect(filename["type"] == "string")
        #expect(filename["description"]?.stringValue?.hasPrefix("The file. (A path inside the container's shared volumes") == true)
        #expect(tool.inputSchema["properties"]?["line"] == ["type": "integer"])
    }

    @Test func urlsAreURIsAndEachTypeHasItsJSONSchemaType() throws {
        let tools = ActionTool.tools(fromListing: listing)
        let url = try #require(tools[1].inputSchema["properties"]?["url"])
        #expect(url["type"] == "string")
        #expect(url["format"] == "uri")
        #expect(tools[1].description.hasSuffix("Usually waits for a person to approve it on the host."))
        let flags = try #require(tools[2].inputSchema["properties"])
        #expect(flags["on"] == ["type": "boolean"])
        #expect(flags["options"] == ["type": "object", "description": "More."])
        #expect(flags["note"] == ["type": "string"])
        #expect(tools[2].inputSchema["required"] == [])
    }

    @Test func anEmptyOrOddListingGivesNoTools() {
        #expect(ActionTool.tools(fromListing: [:]).isEmpty)
        #expect(ActionTool.tools(fromListing: ["actions": [["description": "no name"]]]).isEmpty)
    }
}
