import ConduitCore
import ConduitTestSupport
import Foundation
import Testing

@Suite("Secrets and the secrets file")
struct SecretsTests {
    let long = "0123456789abcdef0123456789abcdef"

    @Test func generatedSecretsCarry256BitsInBase64url() throws {
        let secrets = try Secrets.generate(users: ["user", "agent"])
        #expect(secrets.userNames == ["agent", "user"])
        for name in secrets.userNames {
            let secret = secrets[name]!.secret
            #expect(secret.count == 43)  // 32 bytes, base64url without padding
            #expect(secret.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            #expect(secrets[name]!.canApprove.isEmpty)
        }
        #expect(secrets["user"]!.secret != secrets["agent"]!.secret)
    }

    @Test func aShortSecretIsRefused() {
        let secrets = Secrets(users: ["agent": UserSecret(secret: "short")])
        #expect(throws: SecretsError.secretTooShort(path: "f.json", user: "agent", length: 5)) {
            try secrets.validate(path: "f.json")
        }
    }

    @Test func theShippedExampleFileIsRefusedForItsPublicSecrets() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../secrets.example.json")
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("secrets.json", try String(contentsOf: example, encoding: .utf8))
        #expect(throws: SecretsError.publicExampleSecret(path: directory.file("secrets.json"), user: "agent")) {
            try SecretsFile.load(from: directory.file("secrets.json"))
        }
        #expect(SecretsError.publicExampleSecret(path: "s.json", user: "agent").description.contains("ccc-keygen --create"))
    }

    @Test func nobodyMayApproveThemselves() {
        let secrets = Secrets(users: ["user": UserSecret(secret: long, canApprove: ["user"])])
        #expect(throws: SecretsError.approvesThemselves(path: "f.json", user: "user")) {
            try secrets.validate(path: "f.json")
        }
        #expect(!Secrets(users: ["user": UserSecret(secret: long, canApprove: ["user"])]).canApprove("user", submitter: "user"))
    }

    @Test func aGroupOrWorldReadableFileIsRefusedWithTheFix() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("s.json", #"{"agent": {"secret": "\#(long)", "canApprove": []}}"#, mode: 0o644)
        #expect(throws: SecretsError.tooOpen(path: directory.file("s.json"), mode: 0o644)) {
            try SecretsFile.load(from: directory.file("s.json"))
        }
        #expect(SecretsError.tooOpen(path: "s.json", mode: 0o644).description.contains("chmod 600 s.json"))
        chmod(directory.file("s.json"), 0o600)
        #expect(try SecretsFile.load(from: directory.file("s.json"))["agent"]?.secret == long)
    }

    @Test func malformedJSONNamesTheFile() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("bad.json", "{not json")
        #expect {
            try SecretsFile.load(from: directory.file("bad.json"))
        } throws: { error in
            guard case .malformed(let path, _) = error as? SecretsError else { return false }
            return path == directory.file("bad.json")
        }
        try directory.write("noSecret.json", #"{"agent": {"canApprove": []}}"#)
        #expect {
            try SecretsFile.load(from: directory.file("noSecret.json"))
        } throws: { "\($0)".contains("missing \"secret\" in agent") }
    }

    @Test func writingIsAtomicWithMode0600AndRefusesToOverwrite() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("secrets.json")
        let secrets = try Secrets.generate(users: ["user", "agent"])
        try SecretsFile.write(secrets, to: path, overwrite: false)
        var info = stat()
        stat(path, &info)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(try SecretsFile.load(from: path) == secrets)
        #expect(throws: SecretsError.fileExists(path: path)) {
            try SecretsFile.write(secrets, to: path, overwrite: false)
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(leftovers == ["secrets.json"])
    }

    @Test func grantsRevokesAndRemovalsKeepTheFileConsistent() throws {
        var secrets = try Secrets.generate(users: ["user", "agent"])
        try secrets.allowApproval(approver: "user", submitter: "agent")
        #expect(secrets.canApprove("user", submitter: "agent"))
        #expect(!secrets.canApprove("agent", submitter: "user"))
        #expect(throws: SecretsError.unknownUser("bob")) { try secrets.allowApproval(approver: "bob", submitter: "agent") }
        #expect(throws: SecretsError.invalidApproverPair("user:user")) { try Secrets.parseApproverPair("user:user") }
        #expect(throws: SecretsError.invalidApproverPair("user")) { try Secrets.parseApproverPair("user") }
        try secrets.remove("agent")
        #expect(secrets["user"]!.canApprove.isEmpty)
        try secrets.disallowApproval(approver: "user", submitter: "agent")
        #expect(throws: SecretsError.userExists("user")) { try secrets.add("user") }
        #expect(throws: SecretsError.invalidUserName("a b")) { try secrets.add("a b") }
    }

    @Test func rotatingChangesOnlyThatSecret() throws {
        var secrets = try Secrets.generate(users: ["user", "agent"])
        let before = secrets
        try secrets.rotate("agent")
        #expect(secrets["agent"]!.secret != before["agent"]!.secret)
        #expect(secrets["user"] == before["user"])
        #expect(throws: SecretsError.unknownUser("nobody")) { try secrets.rotate("nobody") }
    }

    @Test func filteringKeepsOnlyOneUser() throws {
        var secrets = try Secrets.generate(users: ["user", "agent"])
        try secrets.allowApproval(approver: "user", submitter: "agent")
        let agentOnly = try secrets.filtered(to: "agent")
        #expect(agentOnly.userNames == ["agent"])
        #expect(agentOnly["agent"] == secrets["agent"])
        #expect(throws: SecretsError.unknownUser("bob")) { try secrets.filtered(to: "bob") }
    }
}
