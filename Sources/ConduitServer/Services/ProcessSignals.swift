#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Signal set-up for the server process.
public enum ProcessSignals {
    /// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread (and every thread it starts later).
    ///
    /// On Linux, Dispatch delivers signal sources through `signalfd`, which only sees signals that
    /// are blocked in *every* thread; a thread started before the sources exist would otherwise take
    /// SIGTERM with its default action and end the process instead of shutting it down gracefully.
    /// Call this first thing in `main`, before any thread is created.
    public static func blockHandledSignals() {
        #if os(Linux)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGHUP)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        #endif
    }
}
