import ConduitCore
import Foundation
import Testing

@Suite("Domain model: one JSON shape")
struct DomainModelTests {
    static let record = ActionRecord(
        id: "r1", action: "edit-file", description: "Open a file.", submitter: "agent",
        params: ["filename": "/workspace/a.txt"], status: .completed, created: Date(timeIntervalSince1970: 1_800_000_000),
        decision: ActionDecision(kind: .policy, by: "policy auto-accept of edit-file", at: Date(timeIntervalSince1970: 1_800_000_000.25)),
        result: ["exitCode": 0, "stdout": "", "stderr": ""], started: Date(timeIntervalSince1970: 1_800_000_000.5),
        finished: Date(timeIntervalSince1970: 1_800_000_001))

    @Test func everyAuditEventIsDocumentedInTheProtocol() throws {
        let protocolText = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/PROTOCOL.md"),
            encoding: .utf8)
        for event in AuditEvent.allCases {
            #expect(protocolText.contains("`\(event.rawValue)`"), "\(event.rawValue) is not in docs/PROTOCOL.md")
        }
    }

    @Test(arguments: BrokerEvent.Kind.allCases)
    func everyStoredEventLeavesANamedAuditLine(_ kind: BrokerEvent.Kind) {
        let entry = AuditEntry.about(kind, record: Self.record, at: Date(timeIntervalSince1970: 1_800_000_002))
        #expect(AuditEvent(rawValue: entry.event) != nil, "\(entry.event)")
    }

    @Test func aRecordReadsBackFromItsJSONAndThroughCodable() throws {
        #expect(ActionRecord(json: Self.record.json) == Self.record)
        let data = try JSONEncoder().encode(Self.record)
        #expect(try JSONDecoder().decode(ActionRecord.self, from: data) == Self.record)
    }

    @Test func anEventReadsBackFromTheDataOfItsServerSentEvent() throws {
        let event = BrokerEvent(id: 42, kind: .finished, time: Date(timeIntervalSince1970: 1_800_000_001), record: Self.record)
        let data = Array(event.json.compactText.utf8)
        #expect(BrokerEvent(json: try JSONValue.parse(data)) == event)
        #expect(try JSONDecoder().decode(BrokerEvent.self, from: Data(data)) == event)
    }

    @Test(arguments: [#"{"id": "x"}"#, #"{"id": 1, "type": "exploded", "at": "2027-01-15T08:00:00.000Z", "record": {}}"#])
    func somethingElseIsNotAnEvent(_ text: String) throws {
        #expect(BrokerEvent(json: try JSONValue.parse(Array(text.utf8))) == nil)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(BrokerEvent.self, from: Data(text.utf8)) }
    }

    @Test(arguments: ["2027-01-15T08:00:00.000Z", "2027-01-15T08:00:00Z"])
    func theOneDateParserReadsTheWireFormatWithOrWithoutMilliseconds(_ text: String) {
        #expect(ActionRecord.parse(text) == Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test func theWireFormatHasMilliseconds() {
        #expect(ActionRecord.format(Date(timeIntervalSince1970: 1_800_000_000.25)) == "2027-01-15T08:00:00.250Z")
    }
}
