import ConduitCore
import Testing

/// Unauthenticated refusals are audited within a fixed budget per window; the rest are summarised.
@Suite("Refusal budget")
struct RefusalBudgetTests {
    @Test func aFewRefusalsPerPeerAreRecordedThenCountedIntoOneSummary() {
        let budget = RefusalBudget(window: 10, perPeer: 3, total: 10)
        let recorded = (0..<50).filter { _ in budget.admit(peer: "127.0.0.2", now: 100).record }
        #expect(recorded.count == 3)
        // The next window starts with the summary of the last one.
        let next = budget.admit(peer: "127.0.0.2", now: 110)
        #expect(next.record)
        #expect(next.summary == RefusalBudget.Summary(from: 100, until: 110, suppressed: 47, peers: ["127.0.0.2": 47], peerCount: 1))
    }

    @Test func manyPeersTogetherStayWithinTheTotal() {
        let budget = RefusalBudget(window: 10, perPeer: 3, total: 10)
        var recorded = 0
        for peer in 0..<5000 where budget.admit(peer: "10.0.\(peer / 256).\(peer % 256)", now: 205).record { recorded += 1 }
        #expect(recorded == 10)
        let summary = budget.endedSummary(now: 211)
        #expect(summary?.suppressed == 4990)
        #expect(summary?.peers.count == RefusalBudget.peersNamed)
        #expect(budget.endedSummary(now: 212) == nil)
    }

    @Test func aWindowWithoutSuppressedRefusalsHasNoSummary() {
        let budget = RefusalBudget()
        #expect(budget.admit(peer: "::1", now: 1).record)
        #expect(budget.endedSummary(now: 30) == nil)
    }

    @Test func longFieldsAreCutAndMarked() {
        #expect(AuditField.cut("short") == "short")
        let cut = AuditField.cut(String(repeating: "a", count: 60_000))
        #expect(cut.hasPrefix(String(repeating: "a", count: 256) + "…[cut: 60000 bytes in all]"))
        #expect(cut.utf8.count < 300)
        // Never in the middle of a character.
        let wide = AuditField.cut(String(repeating: "é", count: 200))
        #expect(wide.hasPrefix(String(repeating: "é", count: 128) + "…"))
    }
}
