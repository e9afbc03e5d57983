import ConduitCore
import ConduitTestSupport
import Foundation
import Testing

/// Container paths map into volumes and never out of them, symbolic links included.
@Suite("Path mapping")
struct PathMapperTests {
    let host = TemporaryDirectory()
    let mapper: PathMapper

    init() throws {
        try host.mkdir("workspace/src")
        try host.mkdir("claude-home")
        try host.mkdir("outside")
        try host.write("workspace/hello.txt", "hi")
        mapper = PathMapper(volumes: PathMapper.defaultVolumes(hostDirectory: host.path), root: "/workspace")
    }

    func hostPath(_ relative: String) -> String { host.file(relative) }

    @Test func aRelativePathResolvesAgainstTheRoot() throws {
        defer { host.remove() }
        #expect(try mapper.map("hello.txt") == MappedPath(container: "/workspace/hello.txt", host: hostPath("workspace/hello.txt"), hostRoot: hostPath("workspace")))
        #expect(try mapper.map("/workspace/hello.txt").host == hostPath("workspace/hello.txt"))
    }

    @Test func eachVolumeMapsToItsOwnHostDirectory() throws {
        defer { host.remove() }
        #expect(try mapper.map("/home/claude/.bashrc").host == hostPath("claude-home/.bashrc"))
        #expect(try mapper.map("/workspace").host == hostPath("workspace"))
    }

    @Test func dotsAreNormalisedLexically() throws {
        defer { host.remove() }
        #expect(try mapper.map("/workspace/src/../hello.txt").container == "/workspace/hello.txt")
        #expect(try mapper.map("./src//./x.swift").container == "/workspace/src/x.swift")
    }

    @Test(arguments: ["/etc/passwd", "../../etc/passwd", "/workspace/../etc/passwd", "/workspacex/a", "/", "/home"])
    func pathsOutsideEveryVolumeAreRefused(_ path: String) {
        defer { host.remove() }
        #expect { try mapper.map(path) } throws: { ($0 as? PathError)?.code == "path_outside_volumes" }
    }

    @Test(arguments: ["a\u{0}b", "a\nb", "a\rb", "a\u{1b}[2Jb", "a\u{7f}", "a\u{85}b", "a\u{2028}b"])
    func controlCharactersAreRefused(_ path: String) {
        defer { host.remove() }
        #expect(throws: PathError.controlCharacter) { try mapper.map(path) }
    }

    @Test func anEmptyPathIsRefused() {
        defer { host.remove() }
        #expect(throws: PathError.empty) { try mapper.map("") }
    }

    @Test func aSymlinkToEtcIsRefused() throws {
        defer { host.remove() }
        try host.symlink("workspace/etc", to: "/etc")
        #expect { try mapper.map("etc/passwd") } throws: { error in
            guard case .escapesVolume(_, let resolved) = error as? PathError else { return false }
            return resolved == "/etc/passwd"
        }
        #expect { try mapper.map("etc") } throws: { ($0 as? PathError)?.code == "path_outside_volumes" }
    }

    @Test func aSymlinkIntoAnotherVolumeIsRefused() throws {
        defer { host.remove() }
        try host.symlink("workspace/home", to: hostPath("claude-home"))
        #expect { try mapper.map("home/.ssh/id_ed25519") } throws: { ($0 as? PathError)?.code == "path_outside_volumes" }
    }

    @Test func aRelativeSymlinkClimbingOutIsRefused() throws {
        defer { host.remove() }
        try host.symlink("workspace/up", to: "../outside")
        #expect { try mapper.map("up/secret") } throws: { ($0 as? PathError)?.code == "path_outside_volumes" }
    }

    @Test func aDanglingSymlinkIsJudgedByItsTarget() throws {
        defer { host.remove() }
        try host.symlink("workspace/cron", to: "/etc/cron.d/conduit-test-does-not-exist")
        #expect { try mapper.map("cron") } throws: { error in
            guard case .escapesVolume(_, let resolved) = error as? PathError else { return false }
            return resolved == "/etc/cron.d/conduit-test-does-not-exist"
        }
    }

    @Test func aSymlinkChainEndingOutsideIsRefused() throws {
        defer { host.remove() }
        try host.symlink("workspace/a", to: "b")
        try host.symlink("workspace/b", to: hostPath("outside/c"))
        #expect { try mapper.map("a") } throws: { ($0 as? PathError)?.code == "path_outside_volumes" }
    }

    @Test func aSymlinkLoopIsRefused() throws {
        defer { host.remove() }
        try host.symlink("workspace/loop1", to: "loop2")
        try host.symlink("workspace/loop2", to: "loop1")
        #expect { try mapper.map("loop1") } throws: { ($0 as? PathError)?.code == "invalid_path" }
    }

    @Test func aSymlinkStayingInsideTheVolumeIsFollowed() throws {
        defer { host.remove() }
        try host.symlink("workspace/alias", to: "src")
        #expect(try mapper.map("alias/main.swift").host == hostPath("workspace/src/main.swift"))
    }

    @Test func aPathThatDoesNotExistYetIsJudgedByItsNearestExistingAncestor() throws {
        defer { host.remove() }
        #expect(try mapper.map("new/dir/file.txt").host == hostPath("workspace/new/dir/file.txt"))
        try host.symlink("workspace/out", to: hostPath("outside"))
        #expect { try mapper.map("out/new/file.txt") } throws: { ($0 as? PathError)?.code == "path_outside_volumes" }
    }

    @Test func theLongestContainerPrefixWins() throws {
        defer { host.remove() }
        try host.mkdir("nested")
        let nested = PathMapper(volumes: [
            Volume(host: hostPath("workspace"), container: "/workspace"),
            Volume(host: hostPath("nested"), container: "/workspace/nested"),
        ])
        #expect(try nested.map("/workspace/nested/x").host == hostPath("nested/x"))
        #expect(try nested.map("/workspace/nestedx").host == hostPath("workspace/nestedx"))
    }

    @Test func volumesAreParsedDockerStyle() throws {
        defer { host.remove() }
        #expect(try Volume(parsing: "/home/me/w:/workspace") == Volume(host: "/home/me/w", container: "/workspace"))
        #expect(throws: VolumeError.self) { try Volume(parsing: "relative:/workspace") }
        #expect(throws: VolumeError.self) { try Volume(parsing: "/a:/b:ro") }
        #expect(throws: VolumeError.self) { try Volume(parsing: "/a") }
    }
}
