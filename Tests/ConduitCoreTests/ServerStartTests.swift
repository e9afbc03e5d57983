import ConduitCore
import Testing

/// "Created before the server started" is judged so that a step of the wall clock does not lock
/// everyone out (issue 12, item 6), while the restart rule of issue 10 still holds.
@Suite("Server start across clock steps")
struct ServerStartTests {
    @Test func withoutAStepTheFirstAcceptedSecondIsTheOneAfterTheStart() {
        let start = ServerStart(wallSeconds: 1_000.4, monotonic: .now)
        #expect(start.firstAcceptedSecond == 1_001)
        #expect(start.firstAcceptedSecond(wallNow: 1_010, monotonicNow: .now.advanced(by: .seconds(9.6))) == 1_001)
    }

    @Test func aStepBackMovesTheStartBackByTheStep() {
        let monotonic = ContinuousClock.now
        let start = ServerStart(wallSeconds: 1_000.4, monotonic: monotonic)
        // 20 s later by the monotonic clock, the wall clock reads 10 minutes less than it should.
        let later = monotonic.advanced(by: .seconds(20))
        #expect(start.firstAcceptedSecond(wallNow: 1_020.4 - 600, monotonicNow: later) == 1_001 - 600)
    }

    @Test func aStepForwardMovesItForward() {
        let monotonic = ContinuousClock.now
        let start = ServerStart(wallSeconds: 1_000.4, monotonic: monotonic)
        #expect(start.firstAcceptedSecond(wallNow: 1_020.4 + 3_600, monotonicNow: monotonic.advanced(by: .seconds(20))) == 1_001 + 3_600)
    }
}
