import Crypto
import Foundation

/// Signs and checks link tokens with HMAC-SHA256, each bound to a purpose and a subject.
///
/// ```swift
/// let signer = TokenSigner(key: keyBytes)
/// let token = signer.token(purpose: "unsubscribe", subject: "42")   // "42.Jx3…"
/// signer.subject(of: token, purpose: "unsubscribe")                   // "42"
/// ```
/// A token for one purpose never verifies for another, and the signature covers the
/// subject, so changing it breaks the token.
public struct TokenSigner: Sendable {
    private let key: [UInt8]

    public init(key: [UInt8]) {
        precondition(key.count >= 16, "a token key needs at least 128 bits")
        self.key = key
    }

    /// `SUBJECT.SIGNATURE`, URL-safe; the subject must not contain `.`.
    public func token(purpose: String, subject: String) -> String {
        precondition(!subject.contains("."))
        return subject + "." + signature(purpose: purpose, subject: subject)
    }

    /// The subject of a token that this key signed for this purpose, or nil.
    public func subject(of token: String, purpose: String) -> String? {
        guard let dot = token.lastIndex(of: ".") else { return nil }
        let subject = String(token[..<dot])
        let given = Data(token[token.index(after: dot)...].utf8)
        let expected = Data(signature(purpose: purpose, subject: subject).utf8)
        // Constant-time comparison of equal-length values.
        guard given.count == expected.count else { return nil }
        var difference: UInt8 = 0
        for (a, b) in zip(given, expected) { difference |= a ^ b }
        return difference == 0 ? subject : nil
    }

    private func signature(purpose: String, subject: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("kyozon/\(purpose)/\(subject)".utf8), using: SymmetricKey(data: key))
        // 128 bits of the MAC are plenty for a link and keep URLs short.
        return Data(mac).prefix(16).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
