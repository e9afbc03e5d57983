/// Why a secrets file could not be read, accepted or changed. Each message says what to do.
public enum SecretsError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotRead(path: String, reason: String)
    case tooOpen(path: String, mode: UInt16)
    case malformed(path: String, reason: String)
    case secretTooShort(path: String, user: String, length: Int)
    case publicExampleSecret(path: String, user: String)
    case approvesThemselves(path: String, user: String)
    case unknownUser(String)
    case userExists(String)
    case invalidUserName(String)
    case invalidApproverPair(String)
    case fileExists(path: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason):
            "cannot read secrets file \(path): \(reason)"
        case .tooOpen(let path, let mode):
            "secrets file \(path) is accessible by group or others (mode \(String(mode, radix: 8))); run: chmod 600 \(path)"
        case .malformed(let path, let reason):
            "secrets file \(path) is malformed: \(reason)"
        case .secretTooShort(let path, let user, let length):
            "secrets file \(path): the secret of \"\(user)\" has \(length) characters, at least \(Secrets.minimumSecretLength) are required; run: ccc-keygen --rotate \(user) --secrets \(path)"
        case .publicExampleSecret(let path, let user):
            "secrets file \(path): the secret of \"\(user)\" is the public example of secrets.example.json, which anyone can read and sign with; make real secrets: ccc-keygen --create USERS --output \(path) --force"
        case .approvesThemselves(let path, let user):
            "secrets file \(path): \"\(user)\" lists itself in canApprove, and nobody may approve their own requests; run: ccc-keygen --revoke \(user):\(user) --secrets \(path)"
        case .unknownUser(let user):
            "unknown user \"\(user)\""
        case .userExists(let user):
            "user \"\(user)\" already exists"
        case .invalidUserName(let name):
            "invalid user name \"\(name)\": use 1-64 letters, digits, '-', '_' or '.'"
        case .invalidApproverPair(let text):
            "invalid approver pair \"\(text)\": expected APPROVER:SUBMITTER, two different users"
        case .fileExists(let path):
            "\(path) already exists; pass --force to overwrite it"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }
}
