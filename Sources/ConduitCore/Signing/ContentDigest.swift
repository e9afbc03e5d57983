import Crypto
import Foundation
import RawStructuredFieldValues

/// RFC 9530 `Content-Digest` with the `sha-256` algorithm.
public enum ContentDigest {
    /// The header value for `body`: `sha-256=:<base64>:`.
    public static func headerValue(for body: some DataProtocol) -> String {
        "sha-256=:\(Data(SHA256.hash(data: Data(body))).base64EncodedString()):"
    }

    /// Checks that `headerValue` carries a `sha-256` member equal to the digest of `body`.
    public static func verify(headerValue: String, body: some DataProtocol) throws(AuthenticationError) {
        let dictionary: OrderedMap<String, ItemOrInnerList>
        do {
            var parser = StructuredFieldValueParser(Array(headerValue.utf8))
            dictionary = try parser.parseDictionaryFieldValue()
        } catch {
            throw .digestMismatch("Content-Digest is not a structured dictionary")
        }
        guard let member = dictionary["sha-256"] else {
            throw .digestMismatch("Content-Digest has no sha-256 member")
        }
        guard case .item(let item) = member, case .undecodedByteSequence(let encoded) = item.rfc9651BareItem,
            let claimed = Data(base64Encoded: encoded)
        else {
            throw .digestMismatch("the sha-256 member of Content-Digest is not a byte sequence")
        }
        let actual = Data(SHA256.hash(data: Data(body)))
        guard claimed.count == actual.count, constantTimeEquals(claimed, actual) else {
            throw .digestMismatch("the body does not match its sha-256 digest")
        }
    }

    private static func constantTimeEquals(_ lhs: Data, _ rhs: Data) -> Bool {
        var difference: UInt8 = 0
        for (a, b) in zip(lhs, rhs) { difference |= a ^ b }
        return difference == 0
    }
}
