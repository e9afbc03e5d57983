import ConduitCore
import ConduitTestSupport
import Foundation
import Testing

/// The path mapper's promise, checked against the kernel: whenever it accepts a path, the host path
/// it hands the program lies, as the kernel resolves it (`realpath`), inside the same volume.
///
/// The names are chosen to break text-level path code: Prepend characters that join the `/` after
/// them into one grapheme (U+0D4E, U+0600, U+06DD, U+110BD), combining marks, canonically equivalent
/// spellings (é precomposed and decomposed), a ZWJ sequence, and links — relative, absolute,
/// into the other volume, out of both, dangling, looping — planted under those names.
@Suite("Path mapping against the kernel (property)")
struct PathEscapePropertyTests {
    /// Names that text-level code splits or compares differently from the kernel.
    static let names = [
        "A\u{0D4E}", "A\u{0600}", "\u{06DD}", "B\u{110BD}", "e\u{0301}", "\u{00E9}", "x\u{200D}", "👩‍💻", "plain",
        "sub", "..", ".", "", "d\u{0D4E}",
    ]

    /// Plants a link by raw bytes (no Foundation name handling in between).
    static func plant(_ path: String, to target: String) {
        _ = Foundation.symlink(target, path)
    }

    /// The kernel's resolution of `path`, or of its nearest existing ancestor (the rest appended).
    static func kernelResolution(_ path: String) -> String? {
        var existing = path
        var rest: [String] = []
        while true {
            if let resolved = realpath(existing, nil) {
                defer { free(resolved) }
                let base = String(cString: resolved)
                return ([base == "/" ? "" : base] + rest.reversed()).joined(separator: "/")
            }
            guard let slash = existing.utf8.lastIndex(of: UInt8(ascii: "/")), existing != "/" else { return nil }
            let tail = String(existing.utf8[existing.utf8.index(after: slash)...])!
            rest.append(tail)
            existing = String(existing.utf8[..<slash])!
            if existing.isEmpty { existing = "/" }
        }
    }

    static func isInside(_ path: String, _ directory: String) -> Bool {
        let path = Array(path.utf8)
        let directory = Array(directory.utf8)
        return path == directory || (path.starts(with: directory + [UInt8(ascii: "/")]))
    }

    static func plantLinks(in host: TemporaryDirectory) {
        let links: [(String, String)] = [
            ("workspace/A\u{0D4E}", "/"), ("workspace/A\u{0600}", "/"), ("workspace/\u{06DD}", ".."),
            ("workspace/B\u{110BD}", host.file("outside")), ("workspace/e\u{0301}", "../claude-home"),
            ("workspace/\u{00E9}", "sub"), ("workspace/x\u{200D}", "x\u{200D}"),
            ("workspace/👩‍💻", "../outside/secret.txt"), ("workspace/sub/up", "../.."),
            ("workspace/sub/dangling", "/etc/conduit-property-test/none"), ("claude-home/back", "../workspace"),
            ("workspace/d\u{0D4E}/A\u{0D4E}", "../../outside"), ("workspace/plain", "sub/deeper"),
        ]
        for (name, target) in links { plant(host.file(name), to: target) }
    }

    static func makeHost() throws -> (TemporaryDirectory, PathMapper) {
        let host = TemporaryDirectory()
        try host.mkdir("workspace/sub/deeper")
        try host.mkdir("workspace/d\u{0D4E}")
        try host.mkdir("claude-home")
        try host.mkdir("outside")
        try host.write("outside/secret.txt", "secret")
        try host.write("workspace/sub/file.txt", "inside")
        plantLinks(in: host)
        return (host, PathMapper(volumes: PathMapper.defaultVolumes(hostDirectory: host.path), root: "/workspace"))
    }

    @Test(arguments: [1, 2, 3, 4])
    func everyAcceptedPathResolvesInsideItsVolumeByTheKernelsOwnResolution(seed: UInt64) throws {
        let (host, mapper) = try Self.makeHost()
        defer { host.remove() }
        let volumes = [("/workspace", host.file("workspace")), ("/home/claude", host.file("claude-home"))]
        var random = SplitMix64(state: seed)
        let prefixes = ["", "/workspace/", "/home/claude/", "./", "/workspace/sub/", "/"]
        var accepted = 0
        for _ in 0..<1500 {
            var path = prefixes.randomElement(using: &random)!
            for index in 0..<Int.random(in: 1...5, using: &random) {
                if index > 0 { path += Bool.random(using: &random) ? "/" : "//" }
                path += Self.names.randomElement(using: &random)!
            }
            guard let mapped = try? mapper.map(path) else { continue }
            accepted += 1
            let volume = try #require(volumes.first { Self.isInside(mapped.container, $0.0) })
            let kernel = try #require(Self.kernelResolution(mapped.host), "\(path.debugDescription)")
            #expect(Self.isInside(kernel, volume.1), "\(path.debugDescription) → \(mapped.host) → \(kernel)")
            #expect(Self.isInside(mapped.host, volume.1), "\(path.debugDescription) → \(mapped.host)")
            #expect(Self.isInside(mapped.resolvedContainer, volume.0), "\(path.debugDescription) → \(mapped.resolvedContainer)")
        }
        // The generator must reach both outcomes, or it tests nothing.
        #expect(accepted > 100)
    }

    @Test func aPrependCharacterDoesNotHideTheSlashAfterIt() throws {
        let (host, mapper) = try Self.makeHost()
        defer { host.remove() }
        // U+0D4E is a letter (allowed in names) that joins the following "/" into one grapheme.
        #expect { try mapper.map("A\u{0D4E}/etc/passwd") } throws: { ($0 as? PathError)?.code == "path_outside_volumes" }
        #expect { try mapper.map("/workspace/A\u{0D4E}/etc/passwd") } throws: { ($0 as? PathError)?.code == "path_outside_volumes" }
        #expect { try mapper.map("d\u{0D4E}/A\u{0D4E}/secret.txt") } throws: { ($0 as? PathError)?.code == "path_outside_volumes" }
        #expect { try mapper.map("e\u{0301}/x") } throws: { ($0 as? PathError)?.code == "path_outside_volumes" }
        // A hidden ".." after a Prepend character is a real ".." to the kernel.
        #expect(try mapper.map("d\u{0D4E}/../sub/file.txt").container == "/workspace/sub/file.txt")
        #expect { try mapper.map("d\u{0D4E}/../../outside/secret.txt") } throws: { ($0 as? PathError)?.code == "path_outside_volumes" }
    }

    @Test(arguments: [
        "A\u{0600}/etc/passwd", "\u{06DD}/x", "a\u{00AD}b", "a\u{200B}b", "a\u{202E}b", "a\u{2066}b", "a\u{061C}b",
        "a\u{3164}b", "a\u{FE0F}b", "a\u{E0041}b", "a\u{FEFF}b", "a\u{FFFD}b", "a\u{FFFF}b", "a\u{034F}b",
    ])
    func formatInvisibleAndReplacementCharactersAreRefused(_ path: String) throws {
        let (host, mapper) = try Self.makeHost()
        defer { host.remove() }
        #expect { try mapper.map(path) } throws: { error in
            guard case .invisibleCharacter = error as? PathError else { return false }
            return (error as? PathError)?.code == "invalid_path"
        }
    }

    @Test func canonicallyEquivalentNamesAreDifferentFiles() throws {
        let (host, mapper) = try Self.makeHost()
        defer { host.remove() }
        // é precomposed is a link to sub; e + U+0301 is a link out of the volume. String == calls them equal.
        #expect(try mapper.map("\u{00E9}/file.txt").host == host.file("workspace/sub/file.txt"))
        #expect(throws: (any Error).self) { try mapper.map("e\u{0301}/.ssh") }
    }

    @Test func theResolvedFormIsGivenInContainerTerms() throws {
        let (host, mapper) = try Self.makeHost()
        defer { host.remove() }
        let mapped = try mapper.map("/workspace/plain/x.txt")
        #expect(mapped.container == "/workspace/plain/x.txt")
        #expect(mapped.resolvedContainer == "/workspace/sub/deeper/x.txt")
        #expect(mapped.host == host.file("workspace/sub/deeper/x.txt"))
    }
}
