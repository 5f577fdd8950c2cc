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
/// subject, so changing it breaks the token. After a key rotation the previous keys still
/// verify (unsubscribe links in past issues keep working); only the current key signs.
public struct TokenSigner: Sendable {
    private let box: KeyBox
    private let previousBoxes: [KeyBox]
    private var key: SymmetricKey { box.key }

    public init(key: [UInt8], previous: [[UInt8]] = []) {
        precondition(key.count >= 16, "a token key needs at least 128 bits")
        self.box = KeyBox(key: SymmetricKey(data: key))
        self.previousBoxes = previous.filter { $0.count >= 16 }.map { KeyBox(key: SymmetricKey(data: $0)) }
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

    /// The subject of a token that this key (or a previous one) signed for this purpose, or nil.
    public func subject(of token: String, purpose: String) -> String? {
        guard let dot = token.lastIndex(of: ".") else { return nil }
        let subject = String(token[..<dot])
        let given = Data(token[token.index(after: dot)...].utf8)
        for candidate in [box] + previousBoxes {
            let expected = Data(Self.signature(purpose: purpose, subject: subject, key: candidate.key).utf8)
            // Constant-time comparison of equal-length values.
            guard given.count == expected.count else { continue }
            var difference: UInt8 = 0
            for (a, b) in zip(given, expected) { difference |= a ^ b }
            if difference == 0 { return subject }
        }
        return nil
    }

    /// A token that expires: `SUBJECT~ISSUED.SIGNATURE`, the issue time (epoch seconds) signed
    /// with the subject. For confirmation links (7 days); make it single-use by remembering
    /// its signature once used.
    public func timedToken(purpose: String, subject: String, issuedAt: Int64) -> String {
        precondition(!subject.contains("~"))
        return token(purpose: purpose, subject: "\(subject)~\(issuedAt)")
    }

    /// The subject and issue time of a timed token that verifies and is at most `maxAge`
    /// seconds old at `now` (and not from the future), or nil.
    public func timedSubject(of token: String, purpose: String, now: Int64, maxAge: Int64) -> (subject: String, issuedAt: Int64)? {
        guard let signed = subject(of: token, purpose: purpose), let tilde = signed.lastIndex(of: "~"),
            let issued = Int64(signed[signed.index(after: tilde)...])
        else { return nil }
        guard issued <= now + 300, now - issued <= maxAge else { return nil }
        return (String(signed[..<tilde]), issued)
    }

    /// A keyed hash of any text (such as an erased address, normalised), base64url: the same
    /// text and key always give the same value, and without the key it cannot be reversed or
    /// checked against a guess.
    public func digest(purpose: String, of text: String) -> String {
        Self.digest(purpose: purpose, of: text, key: key)
    }

    /// The digest under the current key and every previous one, current first: what to look
    /// for when a digest was stored before a rotation.
    public func digests(purpose: String, of text: String) -> [String] {
        ([box] + previousBoxes).map { Self.digest(purpose: purpose, of: text, key: $0.key) }
    }

    private static func digest(purpose: String, of text: String, key: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("kyozon/\(purpose)/\(text)".utf8), using: key)
        return mac.withUnsafeBytes { Self.base64URL($0[...]) }
    }

    private func signature(purpose: String, subject: String) -> String {
        Self.signature(purpose: purpose, subject: subject, key: key)
    }

    private static func signature(purpose: String, subject: String, key: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("kyozon/\(purpose)/\(subject)".utf8), using: key)
        // 128 bits of the MAC are plenty for a link and keep URLs short.
        return mac.withUnsafeBytes { Self.base64URL($0.prefix(16)) }
    }

    /// `bytes` random bytes from the system's generator, base64url: a CSRF nonce, a session's
    /// form token, a submitting office's token.
    public static func randomToken(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return bytes.withUnsafeBytes { base64URL($0[...]) }
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
