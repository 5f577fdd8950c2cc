/// A mailbox address checked to be safe on an SMTP envelope and in a header.
///
/// Deliberately stricter than RFC 5321: ASCII only, no quoted local parts, no
/// spaces or control characters, a dotted domain. libcurl passes CR/LF and
/// spaces in MAIL FROM/RCPT TO straight onto the wire, so nothing else may pass.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address as given (trimmed).
    public let value: String

    /// The address with the domain in lower case: the identity used for uniqueness.
    public var normalized: String {
        let at = value.lastIndex(of: "@")!
        return value[..<at] + value[at...].lowercased()
    }

    public var domain: String { String(value[value.index(after: value.lastIndex(of: "@")!)...]).lowercased() }

    public var description: String { value }

    /// Validates an address, throwing a reason a person can act on.
    public init(_ text: String) throws(EmailAddressError) {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        guard trimmed.utf8.count <= 254 else { throw .tooLong }
        if let bad = trimmed.unicodeScalars.first(where: { !Self.allowed($0) }) {
            throw .forbiddenCharacter(bad)
        }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .notOneAt }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty, local.utf8.count <= 64, !local.hasPrefix("."), !local.hasSuffix("."),
            !local.contains("..")
        else { throw .badLocalPart }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2,
            labels.allSatisfy({ label in
                !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" }
            })
        else { throw .badDomain }
        self.value = trimmed
    }

    private init(checked value: String) { self.value = value }

    /// `local+TAG@domain` (a VERP or sub-address), or nil when the tag holds anything but
    /// letters, digits, `-`, `_` and `.`, or the local part would pass 64 bytes (the address
    /// 254), the limits `init` keeps. Cheaper than
    /// validating the whole address again: it runs once per message sent.
    public func tagged(_ tag: String) -> EmailAddress? {
        let at = value.utf8.lastIndex(of: UInt8(ascii: "@"))!
        let localLength = value.utf8.distance(from: value.utf8.startIndex, to: at)
        guard !tag.isEmpty, localLength + 1 + tag.utf8.count <= 64, value.utf8.count + 1 + tag.utf8.count <= 254,
            tag.utf8.allSatisfy({ byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
            }), tag.utf8.first != UInt8(ascii: "."), tag.utf8.last != UInt8(ascii: "."), !tag.contains("..")
        else { return nil }
        return EmailAddress(checked: String(value[..<at]) + "+" + tag + String(value[at...]))
    }

    private static func allowed(_ s: Unicode.Scalar) -> Bool {
        guard s.isASCII else { return false }
        if ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) { return true }
        return "!#$%&'*+-/=?^_`{|}~.@".unicodeScalars.contains(s)
    }

    /// What is accepted, for error messages.
    public static let acceptedForms = "an ASCII address such as name@pref.example.lg.jp (no spaces, quotes or non-ASCII characters)"
}

/// Why a text is not an acceptable address.
public enum EmailAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case tooLong
    case forbiddenCharacter(Unicode.Scalar)
    case notOneAt
    case badLocalPart
    case badDomain

    public var description: String {
        switch self {
        case .empty: "is empty"
        case .tooLong: "is longer than 254 bytes"
        case .forbiddenCharacter(let s):
            "contains \(Self.name(of: s)), which is not allowed"
        case .notOneAt: "must contain exactly one @"
        case .badLocalPart: "has an empty or malformed part before @"
        case .badDomain: "has a malformed domain after @"
        }
    }

    private static func name(of scalar: Unicode.Scalar) -> String {
        if scalar == " " { return "a space" }
        if scalar.properties.generalCategory == .control || scalar.properties.isWhitespace {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return "'\(scalar)'"
    }
}
