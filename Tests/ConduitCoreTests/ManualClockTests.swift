import ConduitCore
import Foundation
import Testing

@Suite("Manual clock")
struct ManualClockTests {
    @Test func aSleeperWakesWhenTheClockIsMovedPastItsDeadlineAndNotBefore() async throws {
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
        let sleeper = Task { try await clock.sleep(for: .seconds(10)) }
        for _ in 0..<100_000 where clock.sleeping == 0 { await Task.yield() }
        #expect(clock.sleeping == 1)
        clock.advance(by: 9.5)
        #expect(clock.sleeping == 1, "not yet")
        clock.advance(by: 0.5)
        try await sleeper.value
        #expect(clock.sleeping == 0)
        #expect(clock.now() == Date(timeIntervalSince1970: 1_800_000_010))
    }

    @Test func aCanceledSleeperEndsWithCancellationError() async {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(60)) }
        for _ in 0..<100_000 where clock.sleeping == 0 { await Task.yield() }
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeping == 0)
    }
}
