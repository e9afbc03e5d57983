import CConduitSystem
import Foundation

/// The kernel's own verdict on a path below a volume's host directory, and descriptors opened
/// beneath it, through Linux's `openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)`.
///
/// ``SymlinkResolver`` predicts where the kernel will go; this asks the kernel. The two must agree,
/// and a descriptor opened here cannot leave the volume whatever is swapped in afterwards.
enum BeneathCheck {
    /// What the kernel found for a path below a root.
    enum Verdict: Equatable {
        /// Every part exists; this is the physical path the kernel reached.
        case resolved([UInt8])
        /// Some part is missing, and every existing prefix stays beneath the root.
        case missing
        /// A step leaves the root (`..` above it, an absolute link, a link outside).
        case escapes
        /// Too many links.
        case loop
        /// The kernel cannot tell (no openat2, no /proc, the root is missing, no permission):
        /// the prediction alone stands.
        case unavailable
    }

    /// Whether this kernel has `openat2` (Linux 5.6 and later, not blocked by a seccomp filter).
    static let isAvailable: Bool = {
        let root = openDirectory([LexicalPath.slash])
        guard root >= 0 else { return false }
        defer { close(root) }
        let descriptor = conduit_open_beneath(root, ".", conduit_o_path(), 0, 0)
        guard descriptor >= 0 else { return false }
        close(descriptor)
        return true
    }()

    /// Looks up `relative` (no leading slash) below `root` without opening the file itself.
    static func verdict(for relative: [UInt8], beneath root: [UInt8]) -> Verdict {
        let rootDescriptor = openDirectory(root)
        guard rootDescriptor >= 0 else { return .unavailable }
        defer { close(rootDescriptor) }
        var prefix = LexicalPath.components(relative)
        var wholePath = true
        while true {
            let path = prefix.isEmpty ? [LexicalPath.dot] : Array(prefix.joined(separator: [LexicalPath.slash]))
            let descriptor = conduit_open_beneath(rootDescriptor, SymlinkResolver.cString(path), conduit_o_path(), 0, 0)
            if descriptor >= 0 {
                defer { close(descriptor) }
                guard wholePath else { return .missing }
                guard let physical = physicalPath(of: descriptor) else { return .unavailable }
                return .resolved(physical)
            }
            switch errno {
            case EXDEV: return .escapes
            case ELOOP: return .loop
            case ENOENT where !prefix.isEmpty, ENOTDIR where !prefix.isEmpty:
                // Judge what exists: the nearest existing ancestor must be beneath too.
                prefix.removeLast()
                wholePath = false
            default: return .unavailable
            }
        }
    }

    /// Opens `relative` below `root` for reading or writing, the kernel refusing any escape.
    /// - Returns: the descriptor, or the errno that refused it.
    static func openFile(_ relative: [UInt8], beneath root: [UInt8], flags: Int32) -> Result<Int32, SystemError> {
        let rootDescriptor = openDirectory(root)
        guard rootDescriptor >= 0 else { return .failure(SystemError(code: errno)) }
        defer { close(rootDescriptor) }
        let path = relative.isEmpty ? [LexicalPath.dot] : relative
        let descriptor = conduit_open_beneath(rootDescriptor, SymlinkResolver.cString(path), flags, 0o666, 0)
        guard descriptor >= 0 else { return .failure(SystemError(code: errno)) }
        return .success(descriptor)
    }

    /// A descriptor naming the directory `path` (the volume's root: the operator's, so its links are
    /// followed), or -1.
    private static func openDirectory(_ path: [UInt8]) -> Int32 {
        open(SymlinkResolver.cString(path), conduit_o_path() | O_DIRECTORY | O_CLOEXEC)
    }

    /// The path the kernel has for an open descriptor (`/proc/self/fd/N`).
    static func physicalPath(of descriptor: Int32) -> [UInt8]? {
        guard let path = SymlinkResolver.readLink(LexicalPath.bytes("/proc/self/fd/\(descriptor)")),
            path.first == LexicalPath.slash
        else { return nil }
        return path
    }
}

/// An errno from a system call.
struct SystemError: Error, Equatable {
    var code: Int32
}
