import ConduitCore
import ConduitTUI
import Foundation
import Testing

/// The queue manager's remembered-approvals view, what it says to a user who may decide nobody's
/// requests, and how the history words an approval.
@Suite("Queue manager: grants and empty queues")
struct QueueManagerViewsTests {
    static let now = QueueViewModelTests.now

    static func grant(_ id: String, action: String = "open-terminal", expiresIn: TimeInterval = 600) -> JSONValue {
        [
            "id": .string(id), "approver": "user", "submitter": "agent", "action": .string(action),
            "params": ["path": "/workspace/proj"], "created": .string(now.formatted(.iso8601)),
            "expires": .string(now.addingTimeInterval(expiresIn).formatted(.iso8601)), "request": "r1",
        ]
    }

    @Test func gListsRememberedApprovalsAndXRevokesTheHighlightedOne() {
        var model = QueueViewModelTests.model()
        #expect(model.handle(.character("g")) == .loadGrants)
        #expect(model.mode == .grants)
        #expect(QueueViewModelTests.screen(model).contains { $0.contains("No remembered approvals") })
        #expect(model.handle(.character("x")) == nil, "nothing to revoke")
        model.replaceGrants([Self.grant("grant-one-1234"), Self.grant("grant-two-5678", action: "edit-file")].compactMap(GrantItem.init(grant:)))
        let rows = QueueViewModelTests.screen(model, width: 140)
        #expect(rows.contains { $0.contains("open-terminal") && $0.contains("path=/workspace/proj") && $0.contains("10m") })
        #expect(model.handle(.character("j")) == nil)
        #expect(model.handle(.character("x")) == .revokeGrant(id: "grant-two-5678"))
        // The list read again without the revoked one keeps the highlight in range.
        model.replaceGrants([Self.grant("grant-one-1234")].compactMap(GrantItem.init(grant:)))
        #expect(model.handle(.character("x")) == .revokeGrant(id: "grant-one-1234"))
        #expect(model.handle(.character("y")) == nil, "no decisions from the grants view")
        #expect(model.handle(.character("r")) == .loadGrants)
        #expect(model.handle(.escape) == nil)
        #expect(model.mode == .queue)
        _ = model.handle(.character("g"))
        for (width, height) in [(100, 20), (40, 8)] {
            for row in model.render(width: width, height: height, now: Self.now) {
                #expect(TerminalText.width(of: row.text) == width)
            }
        }
    }

    @Test func aUserWhoMayDecideNobodysRequestsIsToldSoAndHowToFixIt() {
        var model = QueueViewModelTests.model()
        #expect(QueueViewModelTests.screen(model).contains { $0.contains("No pending requests.") }, "before the broker says")
        model.approves = []
        let rows = QueueViewModelTests.screen(model, width: 120)
        #expect(rows.contains { $0.contains("user may approve nobody's requests") }, "\(rows)")
        #expect(rows.contains { $0.contains("ccc-keygen --grant user:SUBMITTER") })
        model.approves = ["agent"]
        #expect(QueueViewModelTests.screen(model).contains { $0.contains("No pending requests.") })
    }

    @Test(arguments: ["running", "completed", "failed"])
    func anApprovalIsShownAsApprovedWhateverItsCommandDidLater(_ status: String) throws {
        let entry: JSONValue = [
            "id": 1, "event": "decision", "action": "open-terminal", "user": "agent", "actor": "user", "outcome": .string(status),
            "at": .string(Self.now.formatted(.iso8601)), "detail": [:],
        ]
        #expect(try #require(HistoryItem(auditEntry: entry)).outcome == "approved")
    }
}
