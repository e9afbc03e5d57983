import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every process of a run, found by the environment marker they all inherit
/// (`CONDUIT_RUN=<run id>`), and ended together.
///
/// A process group is not enough: Claude Code starts each Bash command and each hook in a session
/// of its own, so `kill(-pgid)` of the runner leaves them running. The marker survives `setsid`,
/// `nohup` and double forks. What it does not survive is a process that clears its own
/// environment (`env -i …`); a cgroup would hold that one too (docs/DESIGN.md "Supervised runs").
///
/// Linux only (`/proc/PID/environ`); elsewhere nothing is found and only the runner's own process
/// group is ended.
public enum RunProcesses {
    /// The variable every process of a run carries.
    public static let markerName = "CONDUIT_RUN"

    /// The processes whose environment holds `CONDUIT_RUN=<run>` (never this process).
    public static func find(run: String) -> [pid_t] {
        let entry = Array("\(markerName)=\(run)".utf8)
        return scan { $0.contains(entry) }.map(\.pid)
    }

    /// Every marked process, by run id (what a start sweeps: runs a crash left behind).
    public static func findAll() -> [String: [pid_t]] {
        var found: [String: [pid_t]] = [:]
        let prefix = Array("\(markerName)=".utf8)
        for process in scan({ entries in entries.contains { $0.starts(with: prefix) } }) {
            guard let entry = process.entries.first(where: { $0.starts(with: prefix) }) else { continue }
            found[String(decoding: entry.dropFirst(prefix.count), as: UTF8.self), default: []].append(process.pid)
        }
        return found
    }

    /// Stops every process of `run` (SIGSTOP, so none forks meanwhile), looks again until no new
    /// one appears (at most `rounds` times), then kills them all (SIGKILL). Returns how many.
    @discardableResult
    public static func killAll(run: String, rounds: Int = 50) -> Int {
        var stopped = Set<pid_t>()
        for _ in 0..<rounds {
            let fresh = Set(find(run: run)).subtracting(stopped)
            guard !fresh.isEmpty else { break }
            for pid in fresh { _ = kill(pid, SIGSTOP) }
            stopped.formUnion(fresh)
        }
        for pid in stopped { _ = kill(pid, SIGKILL) }
        return stopped.count
    }

    private struct Process {
        var pid: pid_t
        var entries: [ArraySlice<UInt8>]
    }

    private static func scan(_ matches: ([ArraySlice<UInt8>]) -> Bool) -> [Process] {
        #if os(Linux)
            let own = getpid()
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
            return names.compactMap { name -> Process? in
                guard let pid = pid_t(name), pid != own,
                    let data = FileManager.default.contents(atPath: "/proc/\(name)/environ")
                else { return nil }
                let entries = Array(data).split(separator: 0, omittingEmptySubsequences: true)
                return matches(entries) ? Process(pid: pid, entries: entries) : nil
            }
        #else
            return []
        #endif
    }
}

extension Array where Element == ArraySlice<UInt8> {
    fileprivate func contains(_ entry: [UInt8]) -> Bool { contains { $0.elementsEqual(entry) } }
}
