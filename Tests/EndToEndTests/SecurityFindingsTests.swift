import ConduitClient
import ConduitCore
import Foundation
import Testing

/// The second security review's findings (issue 10), each tried again as the attacker did: a signed
/// agent entry and a writable /workspace, against the real `ccc-server`.
@Suite("Security findings (real binaries)")
struct SecurityFindingsTests {
    /// Actions an attacker would love: print a file (by name, or opened by the broker), and a
    /// rule-guarded read.
    static let actions = [
        "print-file.yaml": """
            description: Print a workspace file (the program opens it by name).
            params: [{name: filename, type: path, required: true}]
            policy: auto-accept
            run: [cat, "{filename}"]
            """,
        "read-file.yaml": """
            description: Print a workspace file the broker opened beneath its volume.
            params: [{name: filename, type: path, required: true, open: read}]
            policy: auto-accept
            run: [cat, "{filename}"]
            """,
        "read-public.yaml": """
            description: Print a public file; everything else is refused.
            params: [{name: filename, type: path, required: true, open: read}]
            policy: auto-deny
            rules:
              - {policy: auto-accept, match: {filename: {glob: "/workspace/public/*"}}}
            run: [cat, "{filename}"]
            """,
        "write-note.yaml": """
            description: Write a note the broker opened for writing.
            params: [{name: filename, type: path, required: true, open: write}, {name: text, type: string, required: true}]
            policy: auto-accept
            run: [sh, -c, 'printf "%s" "$1" > "$2"', write-note, "{text}", "{filename}"]
            """,
        "named-tool.yaml": """
            description: A tool call whose input names a file.
            params: [{name: input, type: object, required: true}]
            policy: queue
            rules:
              - {policy: auto-accept, match: {input.name: {glob: "safe-*.txt"}}}
            """,
    ]

    static func withServer(_ body: (Workspace, ServerProcess) async throws -> Void) async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.createUsers()
        for (name, text) in actions { try workspace.write("actions/" + name, text) }
        try FileManager.default.createDirectory(atPath: workspace.file("outside"), withIntermediateDirectories: true)
        try workspace.write("outside/secret.txt", "OUTSIDE")
        let server = try workspace.startServer()
        defer { server.stop() }
        try await body(workspace, server)
    }

    static func submit(_ request: JSONValue, in workspace: Workspace, to server: ServerProcess) async throws -> ConduitResponse {
        try await workspace.withClient(as: "agent", server: server) { try await $0.submit(request) }
    }

    // MARK: 1. Grapheme clusters

    @Test func aPrependCharacterCannotHideALinkToTheRoot() async throws {
        try await Self.withServer { workspace, server in
            for name in ["A\u{0D4E}", "A\u{0600}", "B\u{06DD}"] {
                _ = symlink("/", workspace.file("data/workspace/" + name))
            }
            _ = symlink("/", workspace.file("data/claude-home/H\u{0D4E}"))
            let attempts = [
                "A\u{0D4E}/etc/passwd", "/workspace/A\u{0D4E}/etc/passwd", "/home/claude/H\u{0D4E}/etc/passwd",
                "A\u{0600}/etc/passwd", "B\u{06DD}/etc/passwd", "x\u{0D4E}/../A\u{0D4E}/etc/passwd",
            ]
            for path in attempts {
                for action in ["print-file", "edit-file"] {
                    let response = try await Self.submit(["action": .string(action), "filename": .string(path)], in: workspace, to: server)
                    #expect(response.status == 400, "\(action) \(path.debugDescription): \(response.status)")
                    #expect(["path_outside_volumes", "invalid_path"].contains(response.json?["error"]?["code"]?.stringValue))
                    #expect(!String(decoding: response.body, as: UTF8.self).contains("root:"))
                }
            }
            #expect(!workspace.read("bin/opened.log").contains("passwd"))
        }
    }

    @Test func aLinkPlantedUnderAPrependNameWhileARequestWaitsIsCaughtAtApproval() async throws {
        try await Self.withServer { workspace, server in
            let directory = workspace.file("data/workspace/d\u{0D4E}")
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let queued = try await Self.submit(
                ["action": "open-terminal", "path": "d\u{0D4E}/sub/../"], in: workspace, to: server)
            #expect(queued.status == 202, "\(queued.json?.compactText ?? "")")
            let id = try #require(queued.json?["id"]?.stringValue)
            try FileManager.default.removeItem(atPath: directory)
            _ = symlink("/", directory)
            let approved = try await workspace.withClient(as: "user", server: server) { try await $0.approve(id: id) }
            #expect(approved.json?["status"] == "failed", "\(approved.json?.compactText ?? "")")
            #expect(approved.json?["reason"]?.stringValue?.hasPrefix("not run:") == true)
            #expect(workspace.read("bin/opened.log").isEmpty)
        }
    }

    @Test func anInvisibleCharacterIsRefusedWithAClearError() async throws {
        try await Self.withServer { workspace, server in
            let response = try await Self.submit(["action": "print-file", "filename": "a\u{00AD}b.txt"], in: workspace, to: server)
            #expect(response.status == 400)
            #expect(response.json?["error"]?["parameter"] == "filename")
            #expect(response.json?["error"]?["message"]?.stringValue?.contains("U+00AD") == true)
        }
    }

    // MARK: 2. A link swapped in between the check and the open

    @Test func aFileTheBrokerOpensCannotBeRedirectedByALinkSwappedIn() async throws {
        try await Self.withServer { workspace, server in
            let race = workspace.file("data/workspace/race")
            let stop = StopFlag()
            // The attacker: swap race between a real directory and a link to the outside.
            let swapper = Thread {
                let inside = workspace.file("data/workspace/race-dir")
                try? FileManager.default.createDirectory(atPath: inside, withIntermediateDirectories: true)
                try? Data("inside".utf8).write(to: URL(fileURLWithPath: inside + "/secret.txt"))
                var flips = 0
                while !stop.isSet && flips < 2_000_000 {
                    unlink(race)
                    _ = symlink(flips % 2 == 0 ? "race-dir" : workspace.file("outside"), race)
                    flips += 1
                }
            }
            swapper.start()
            defer { stop.set() }
            var completed = 0
            var refused = 0
            for _ in 0..<150 {
                let response = try await Self.submit(["action": "read-file", "filename": "race/secret.txt"], in: workspace, to: server)
                let text = String(decoding: response.body, as: UTF8.self)
                #expect(!text.contains("OUTSIDE"), "\(text)")
                if response.json?["status"] == "completed" {
                    completed += 1
                    #expect(response.json?["result"]?["stdout"] == "inside")
                } else {
                    refused += 1
                }
            }
            stop.set()
            // Both outcomes happen, or the race was not run.
            #expect(completed > 0 && refused > 0, "completed \(completed), refused \(refused)")
        }
    }

    @Test func aFileOpenedForWritingIsWrittenThroughTheBrokersDescriptor() async throws {
        try await Self.withServer { workspace, server in
            let written = try await Self.submit(
                ["action": "write-note", "filename": "notes/today.txt", "text": "hello"], in: workspace, to: server)
            #expect(written.json?["status"] == "failed", "the directory does not exist: \(written.json?.compactText ?? "")")
            try FileManager.default.createDirectory(atPath: workspace.file("data/workspace/notes"), withIntermediateDirectories: true)
            let again = try await Self.submit(
                ["action": "write-note", "filename": "notes/today.txt", "text": "hello"], in: workspace, to: server)
            #expect(again.json?["status"] == "completed", "\(again.json?.compactText ?? "")")
            #expect(workspace.read("data/workspace/notes/today.txt") == "hello")
            // A link planted where the file goes is not followed out of the volume.
            _ = symlink(workspace.file("outside/secret.txt"), workspace.file("data/workspace/notes/evil.txt"))
            let evil = try await Self.submit(
                ["action": "write-note", "filename": "notes/evil.txt", "text": "pwned"], in: workspace, to: server)
            #expect(evil.status == 400, "\(evil.json?.compactText ?? "")")
            #expect(workspace.read("outside/secret.txt") == "OUTSIDE")
        }
    }

    // MARK: 3. Rules see the resolved path

    @Test func anAcceptRuleOnAPathDoesNotApplyThroughALinkToAnotherDirectory() async throws {
        try await Self.withServer { workspace, server in
            for directory in ["public", "private"] {
                try FileManager.default.createDirectory(
                    atPath: workspace.file("data/workspace/" + directory), withIntermediateDirectories: true)
            }
            try workspace.write("data/workspace/public/data.txt", "public data")
            try workspace.write("data/workspace/private/data.txt", "private data")
            _ = symlink("../private", workspace.file("data/workspace/public/link"))
            let direct = try await Self.submit(["action": "read-public", "filename": "/workspace/public/data.txt"], in: workspace, to: server)
            #expect(direct.json?["status"] == "completed")
            #expect(direct.json?["result"]?["stdout"] == "public data")
            let throughLink = try await Self.submit(
                ["action": "read-public", "filename": "/workspace/public/link/data.txt"], in: workspace, to: server)
            #expect(throughLink.json?["status"] == "denied", "\(throughLink.json?.compactText ?? "")")
            #expect(!String(decoding: throughLink.body, as: UTF8.self).contains("private data"))
        }
    }

    // MARK: 4. NUL inside object fields

    @Test func aNULInAnObjectFieldNeverSatisfiesAnAcceptGlob() async throws {
        try await Self.withServer { workspace, server in
            let smuggled = try await Self.submit(
                ["action": "named-tool", "input": ["name": "safe-a.txt\u{0}; evil.sh"]], in: workspace, to: server)
            #expect(smuggled.json?["status"] == "pending", "\(smuggled.json?.compactText ?? "")")
            let honest = try await Self.submit(["action": "named-tool", "input": ["name": "safe-a.txt"]], in: workspace, to: server)
            #expect(honest.json?["status"] == "completed")
        }
    }

    // MARK: 8. edit-file never opens by file type

    @Test(arguments: ["launcher.desktop", "tool.jar", "page.html", "notes.txt"])
    func editFileOpensTheTextEditorWhateverTheFileType(name: String) async throws {
        try await Self.withServer { workspace, server in
            try workspace.write("data/workspace/" + name, "[Desktop Entry]\nExec=sh -c 'touch /tmp/pwned'\n")
            let response = try await Self.submit(["action": "edit-file", "filename": .string(name)], in: workspace, to: server)
            #expect(response.json?["status"] == "completed", "\(response.json?.compactText ?? "")")
            #expect(workspace.read("bin/launched.log") == "org.example.TextEditor.desktop\n")
            #expect(workspace.read("bin/opened.log") == workspace.file("data/workspace/" + name) + "\n")
            #expect(workspace.read("bin/xdg-open.log").isEmpty, "xdg-open opens by file type")
        }
    }
}

/// A flag one thread sets and another polls.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
