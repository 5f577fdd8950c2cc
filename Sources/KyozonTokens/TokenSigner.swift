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
    private let box: KeyBox
    private var key: SymmetricKey { box.key }

    public init(key: [UInt8]) {
        precondition(key.count >= 16, "a token key needs at least 128 bits")
        self.box = KeyBox(key: SymmetricKey(data: key))
    }

    /// A key made once, not per token. `SymmetricKey` is immutable after `init` but not marked
    /// `Sendable` by swift-crypto.
    private struct KeyBox: @unchecked Sendable {
        let key: SymmetricKey
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

    /// A keyed hash of any text (such as an erased address, normalised), base64url: the same
    /// text and key always give the same value, and without the key it cannot be reversed or
    /// checked against a guess.
    public func digest(purpose: String, of text: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("kyozon/\(purpose)/\(text)".utf8), using: key)
        return mac.withUnsafeBytes { Self.base64URL($0[...]) }
    }

    private func signature(purpose: String, subject: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("kyozon/\(purpose)/\(subject)".utf8), using: key)
        // 128 bits of the MAC are plenty for a link and keep URLs short.
        return mac.withUnsafeBytes { Self.base64URL($0.prefix(16)) }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Base64url without padding (RFC 4648 §5). By hand: this runs twice per message sent.
    static func base64URL(_ bytes: UnsafeRawBufferPointer.SubSequence) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.endIndex ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.endIndex ? UInt32(bytes[i + 2]) : 0
            let n = b0 << 16 | b1 << 8 | b2
            let remaining = bytes.endIndex - i
            let chars = remaining >= 3 ? 4 : remaining + 1
            for k in 0..<chars { out.append(alphabet[Int(n >> (18 - 6 * UInt32(k)) & 63)]) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
