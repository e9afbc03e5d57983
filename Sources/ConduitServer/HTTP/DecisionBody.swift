import ConduitCore
import NIOCore

/// The body of `POST /v1/actions/{id}/approve|deny`: `{"reason": "…", "remember": SECONDS}`, both
/// optional; an empty body is the same as `{}`. Unknown fields are refused.
struct DecisionBody: Equatable {
    var reason: String?
    var remember: Int?

    /// The longest reason kept, in characters.
    static let longestReason = 1000

    init(reason: String? = nil, remember: Int? = nil) {
        self.reason = reason
        self.remember = remember
    }

    init(body: ByteBuffer, allowsRemember: Bool) throws(DecisionError) {
        let bytes = body.readableBytesView
        guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return }
        guard case .object(let fields) = try? JSONValue.parse(bytes) else {
            throw .invalid("the body must be a JSON object, e.g. {\"reason\": \"not now\"}")
        }
        let allowed: Set<String> = allowsRemember ? ["reason", "remember"] : ["reason"]
        for key in fields.keys.sorted() where !allowed.contains(key) {
            throw .invalid("unknown field \"\(key)\" (expected \(allowed.sorted().joined(separator: " or ")))")
        }
        switch fields["reason"] {
        case nil, .null?: break
        case .string(let text)?:
            guard text.count <= Self.longestReason else {
                throw .invalid("\"reason\" is longer than \(Self.longestReason) characters")
            }
            guard !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }) else {
                throw .invalid("\"reason\" contains control characters")
            }
            reason = text.isEmpty ? nil : text
        default: throw .invalid("\"reason\" must be a string")
        }
        switch fields["remember"] {
        case nil, .null?: break
        case .integer(let seconds)?:
            guard (1...Int64(ActionDefinition.longestExpiry)).contains(seconds) else {
                throw .invalid("\"remember\" must be a whole number of seconds from 1 to \(ActionDefinition.longestExpiry)")
            }
            remember = Int(seconds)
        default: throw .invalid("\"remember\" must be a whole number of seconds")
        }
    }
}
