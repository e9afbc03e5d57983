import ArgumentParser
import ConduitCore
import Foundation

/// `ccc-keygen`: creates and edits secrets files, so nobody hand-edits JSON.
@main
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ccc-keygen",
        abstract: "Create, filter and edit Conduit secrets files (JSON, mode 0600).",
        discussion: """
            Exactly one operation per call. Edits are atomic (temporary file + rename) and keep mode 0600.
              ccc-keygen --create user,agent [--output secrets.json] [--force]
              ccc-keygen --filter agent [--secrets secrets.json] --output agent-secrets.json
              ccc-keygen --grant user:agent [--secrets secrets.json]
            """)

    @Option(help: ArgumentHelp("Create a file with these users (comma-separated) and fresh secrets.", valueName: "USERS"))
    var create: String?

    @Option(help: ArgumentHelp("Write only this user's entry to --output (the file for the container).", valueName: "USER"))
    var filter: String?

    @Option(help: ArgumentHelp("Add a user with a fresh secret.", valueName: "USER"))
    var add: String?

    @Option(help: ArgumentHelp("Remove a user and every approval right naming it.", valueName: "USER"))
    var remove: String?

    @Option(help: ArgumentHelp("Give a user a fresh secret.", valueName: "USER"))
    var rotate: String?

    @Option(help: ArgumentHelp("Let APPROVER decide SUBMITTER's queued requests.", valueName: "APPROVER:SUBMITTER"))
    var grant: String?  // the flag users type; inside the code it is an approval right, not a Grant

    @Option(help: ArgumentHelp("Take back what --grant gave (APPROVER may no longer decide for SUBMITTER).", valueName: "APPROVER:SUBMITTER"))
    var revoke: String?

    @Option(help: "The secrets file to read or edit.")
    var secrets = "secrets.json"

    @Option(help: "The file to write (--create: default secrets.json; --filter: required).")
    var output: String?

    @Flag(help: "Let --create or --filter overwrite an existing file.")
    var force = false

    /// Whatever was not a known option, so that a typo is named as such (ArgumentParser would first
    /// report the missing choice).
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var unrecognized: [String] = []

    static let choices = ["--create", "--filter", "--add", "--remove", "--rotate", "--grant", "--revoke"]

    func validate() throws {
        if let unknown = unrecognized.first {
            let name = String(unknown.prefix { $0 != "=" })
            let near = Self.choices.first { Set($0) == Set(name) || $0.hasPrefix(name) && name.count > 3 }
            throw ValidationError("unknown option \(name)" + (near.map { " — did you mean \($0)?" } ?? ""))
        }
        let chosen = [create, filter, add, remove, rotate, grant, revoke].compactMap { $0 }
        guard chosen.count == 1 else {
            throw ValidationError("choose exactly one of " + Self.choices.joined(separator: ", "))
        }
        if filter != nil, output == nil { throw ValidationError("--filter needs --output FILE") }
    }

    func run() throws {
        do {
            try perform()
        } catch {
            FileHandle.standardError.write(Data("ccc-keygen: error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func perform() throws(SecretsError) {
        if let create {
            let names = create.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !names.isEmpty else { throw .invalidUserName(create) }
            let path = output ?? "secrets.json"
            try SecretsFile.write(try Secrets.generate(users: names), to: path, overwrite: force)
            print("wrote \(path) with users \(names.joined(separator: ", "))")
        } else if let filter, let output {
            let filtered = try SecretsFile.load(from: secrets).filtered(to: filter)
            try SecretsFile.write(filtered, to: output, overwrite: force)
            print("wrote \(output) with user \(filter)")
        } else {
            var file = try SecretsFile.load(from: secrets)
            let done: String
            if let add {
                try file.add(add)
                done = "added \(add)"
            } else if let remove {
                try file.remove(remove)
                done = "removed \(remove)"
            } else if let rotate {
                try file.rotate(rotate)
                done = "rotated the secret of \(rotate)"
            } else if let grant {
                let (approver, submitter) = try Secrets.parseApproverPair(grant)
                try file.allowApproval(approver: approver, submitter: submitter)
                done = "\(approver) may now approve requests of \(submitter)"
            } else if let revoke {
                let (approver, submitter) = try Secrets.parseApproverPair(revoke)
                try file.disallowApproval(approver: approver, submitter: submitter)
                done = "\(approver) may no longer approve requests of \(submitter)"
            } else {
                return
            }
            try SecretsFile.write(file, to: secrets, overwrite: true)
            print("\(done) in \(secrets)")
            print("A running ccc-server reads \(secrets) again on SIGHUP (kill -HUP <its pid>); until then it keeps the old users, secrets and rights.")
        }
    }
}
