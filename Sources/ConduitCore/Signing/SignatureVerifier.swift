import Crypto
import Foundation
import RawStructuredFieldValues

/// A signature whose HMAC verified, with the parameters it was made under.
public struct VerifiedSignature: Sendable, Equatable {
    public var label: String
    public var parameters: SignatureParameters
}

/// Parses `Signature-Input` / `Signature` and checks one HMAC-SHA256 signature (RFC 9421 §3.2).
///
/// This type checks the cryptography only; what a server additionally demands (required
/// components, freshness, replay) lives in ``RequestAuthenticator``.
public enum SignatureVerifier {
    /// The signature that will be checked: the first member of `Signature-Input`, its parameters,
    /// its `@signature-params` text and the claimed MAC from `Signature`.
    public struct Candidate: Sendable {
        public var label: String
        public var parameters: SignatureParameters
        var serializedParameters: String
        var mac: Data
    }

    /// Reads the first signature of the message. Any label is accepted.
    public static func candidate(in message: HTTPMessageComponents) throws(AuthenticationError) -> Candidate {
        guard let inputValue = message.fieldValue("signature-input"),
            let signatureValue = message.fieldValue("signature")
        else { throw .missingSignature }
        let inputs = try parseDictionary(inputValue, field: "Signature-Input")
        let signatures = try parseDictionary(signatureValue, field: "Signature")
        guard let (label, member) = inputs.first else {
            throw .malformedSignature("Signature-Input is empty")
        }
        guard case .innerList(let innerList) = member else {
            throw .malformedSignature("Signature-Input member \"\(label)\" is not an inner list")
        }
        guard let signatureMember = signatures[label] else {
            throw .malformedSignature("Signature has no member \"\(label)\"")
        }
        guard case .item(let item) = signatureMember, case .undecodedByteSequence(let encoded) = item.rfc9651BareItem,
            let mac = Data(base64Encoded: encoded)
        else {
            throw .malformedSignature("Signature member \"\(label)\" is not a byte sequence")
        }
        let parameters = try SignatureParameters(innerList: innerList)
        return Candidate(
            label: label, parameters: parameters, serializedParameters: try SignatureBase.serialize(innerList), mac: mac)
    }

    /// Recomputes the signature base and compares the MAC in constant time.
    public static func verify(
        _ candidate: Candidate, of message: HTTPMessageComponents, key: [UInt8]
    ) throws(AuthenticationError) -> VerifiedSignature {
        if let alg = candidate.parameters.alg, alg != "hmac-sha256" {
            throw .unsupportedAlgorithm(alg)
        }
        let base = try SignatureBase.make(
            for: message, parameters: candidate.parameters, serializedParameters: candidate.serializedParameters)
        let valid = HMAC<SHA256>.isValidAuthenticationCode(
            candidate.mac, authenticating: Data(base.utf8), using: SymmetricKey(data: key))
        guard valid else { throw .invalidSignature }
        return VerifiedSignature(label: candidate.label, parameters: candidate.parameters)
    }

    private static func parseDictionary(_ value: String, field: String) throws(AuthenticationError) -> OrderedMap<
        String, ItemOrInnerList
    > {
        do {
            var parser = StructuredFieldValueParser(Array(value.utf8))
            return try parser.parseDictionaryFieldValue()
        } catch {
            throw .malformedSignature("\(field) is not a structured dictionary")
        }
    }
}
