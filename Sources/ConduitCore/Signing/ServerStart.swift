/// When the server started, in a form that survives steps of the wall clock.
///
/// Requests signed in the second the server started, or earlier, are refused (accepted nonces are
/// kept in memory: see ``RequestAuthenticator/startedAt``). "Earlier" is judged on the wall clock
/// that signs the requests, but if that clock steps back (an NTP correction, a VM resumed), the
/// start would lie in the future and every request be refused until the clock caught up. So the
/// start is kept with a monotonic reading too, and a step of the wall clock moves it along.
public struct ServerStart: Sendable, Equatable {
    /// The first Unix second accepted, by the wall clock as it read at the start.
    public let firstAcceptedSecond: Int64
    let wallAtStart: Double
    let monotonicAtStart: ContinuousClock.Instant

    /// A smaller difference between the two clocks than this is noise (whole-second signatures), not a step.
    static let stepThreshold = 2.0

    public init(wallSeconds: Double, monotonic: ContinuousClock.Instant = .now) {
        wallAtStart = wallSeconds
        monotonicAtStart = monotonic
        firstAcceptedSecond = Int64(wallSeconds.rounded(.down)) + 1
    }

    /// The first accepted second in terms of the wall clock as it reads now (`wallNow`): the start
    /// moves by however far the wall clock stepped since.
    public func firstAcceptedSecond(wallNow: Double, monotonicNow: ContinuousClock.Instant = .now) -> Int64 {
        let elapsed = monotonicNow - monotonicAtStart
        let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let step = (wallNow - elapsedSeconds) - wallAtStart
        guard abs(step) >= Self.stepThreshold else { return firstAcceptedSecond }
        return firstAcceptedSecond + Int64(step.rounded())
    }
}
