import CConduitSystem
import Foundation
import Synchronization

/// The broker's end of one handler's tether: a Unix socket pair whose other end is the standard
/// input of `ccc-tether`, which runs the handler (see `Sources/ccc-tether/main.c`).
///
/// - The handler may start only when ``release(input:)`` sends its go (with its standard input):
///   the broker records the start first, so a request whose start is not recorded never ran.
/// - The broker's end is close-on-exec and held only by this process, so it closes when the broker
///   ends, however it ends (kill -9 too); `ccc-tether` then kills the handler's process group.
final class HandlerTether: Sendable {
    /// What `ccc-tether` reported once it ended.
    enum Report: Equatable {
        /// The handler was started (exec succeeded).
        case started
        /// exec failed with this errno; nothing ran.
        case cannotRun(Int32)
        /// No go reached it (or it died first): nothing ran.
        case notStarted
    }

    /// The end `ccc-tether` gets as its standard input; handed over (and closed here) by the spawn.
    let tetherEnd: Int32
    private let brokerEnd: Int32
    private let closed = Atomic<Bool>(false)

    init() throws {
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        brokerEnd = ends[0]
        tetherEnd = ends[1]
    }

    /// Lets the handler start with `input` as its standard input (the descriptor stays this caller's).
    /// Call before ``close()``.
    func release(input: Int32) throws {
        guard conduit_send_descriptor(brokerEnd, 0x67 /* "g" */, input) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    /// What `ccc-tether` said, read once it has ended (never blocks).
    func report() -> Report {
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = recv(brokerEnd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        guard count > 0 else { return .notStarted }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        if text.hasPrefix("started") { return .started }
        if text.hasPrefix("failed "), let code = Int32(text.dropFirst(7).prefix { $0.isNumber }) { return .cannotRun(code) }
        return .notStarted
    }

    /// Closes the broker's end (once; later calls do nothing): a handler still running is killed
    /// with its group.
    func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = Foundation.close(brokerEnd)
    }

    /// `ccc-tether` beside the running executable (`swift build` puts every product in one directory).
    static var besideExecutable: String { ProgramLocation.besideExecutable("ccc-tether") }

    /// `ccc-tether` is not where the broker needs it.
    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String {
            "ccc-tether is missing at \(path) (or not executable): every action handler runs under it, so that "
                + "handlers end when the broker ends. It is built with the other programs (`swift build`); keep it "
                + "in the same directory as ccc-server"
        }
    }

    /// Throws ``Missing`` unless `path` is an executable file.
    static func requireExecutable(at path: String) throws {
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Missing(path: path) }
    }
}
