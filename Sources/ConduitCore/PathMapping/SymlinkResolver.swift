import Foundation

/// Resolves symbolic links the way the kernel would follow them, even where the target is missing.
///
/// Unlike `realpath(3)`, a path that does not exist is not an error: the existing part is resolved
/// (its nearest existing ancestor) and the rest is appended. A dangling link is judged by its target,
/// so a link to `/etc/cron.d/x` resolves to `/etc/cron.d/x` whether or not `x` exists.
///
/// Everything is bytes, as the kernel sees it: components split at the byte `/`, link targets
/// read as raw bytes (never repaired into other names), each component looked at with `lstat`.
enum SymlinkResolver {
    /// The most links followed while resolving one path, as Linux's `MAXSYMLINKS`.
    static let maximumLinks = 40

    /// The physical path of `path` (absolute); throws ``PathError/symlinkLoop(_:)`` on a loop.
    static func resolve(_ path: [UInt8]) throws(PathError) -> [UInt8] {
        var pending = Array(LexicalPath.components(path).reversed())
        var resolved: [[UInt8]] = []
        var linksFollowed = 0
        var missing = false
        while let component = pending.popLast() {
            if LexicalPath.isDot(component) { continue }
            if LexicalPath.isDotDot(component) {
                _ = resolved.popLast()
                continue
            }
            if missing {
                resolved.append(component)
                continue
            }
            let candidate = LexicalPath.absolute(resolved + [component])
            var info = stat()
            guard lstat(cString(candidate), &info) == 0 else {
                // Nothing exists here; what follows cannot exist either and is taken as written.
                missing = true
                resolved.append(component)
                continue
            }
            guard (info.st_mode & S_IFMT) == S_IFLNK else {
                resolved.append(component)
                continue
            }
            linksFollowed += 1
            guard linksFollowed <= maximumLinks else {
                throw .symlinkLoop(String(decoding: path, as: UTF8.self))
            }
            guard let target = readLink(candidate) else {
                resolved.append(component)
                continue
            }
            if target.first == LexicalPath.slash { resolved.removeAll() }
            pending.append(contentsOf: LexicalPath.components(target).reversed())
        }
        return LexicalPath.absolute(resolved)
    }

    /// NUL-terminated bytes for a system call.
    static func cString(_ path: [UInt8]) -> [CChar] {
        path.map { CChar(bitPattern: $0) } + [0]
    }

    /// The raw bytes of a link's target (also what `/proc/self/fd/N` names).
    static func readLink(_ path: [UInt8]) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = buffer.withUnsafeMutableBytes { raw in
            readlink(cString(path), raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count - 1)
        }
        guard length >= 0 else { return nil }
        return Array(buffer[..<length])
    }
}
