import Crypto
import Foundation
import _CryptoExtras

/// Signs messages with DKIM (RFC 6376): `rsa-sha256`, relaxed/relaxed canonicalization.
///
/// ```swift
/// let signer = try DKIMSigner(domain: "kyozon.example.lg.jp", selector: "kyozon2026", privateKeyPEM: pem)
/// let signed = try signer.sign(message, at: now)
/// ```
/// RFC 8058 one-click unsubscribing needs List-Unsubscribe and List-Unsubscribe-Post signed,
/// so they are in the default header list with From, To, Subject, Date and Message-ID.
public struct DKIMSigner: Sendable {
    public static let defaultHeaders = [
        "from", "to", "subject", "date", "message-id", "mime-version", "content-type", "list-id", "list-unsubscribe",
        "list-unsubscribe-post",
    ]

    public let domain: String
    public let selector: String
    public let headers: [String]
    private let key: _RSA.Signing.PrivateKey

    public init(domain: String, selector: String, privateKeyPEM: String, headers: [String] = defaultHeaders) throws(DKIMError) {
        do {
            key = try _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        } catch {
            throw .badKey("\(error)")
        }
        guard key.keySizeInBits >= 1024 else { throw .badKey("the key has \(key.keySizeInBits) bits; DKIM needs at least 1024 (2048 is usual)") }
        self.domain = domain
        self.selector = selector
        self.headers = headers
    }

    /// The message with a `DKIM-Signature` header in front. `message` has CRLF line ends.
    public func sign(_ message: [UInt8], at time: Int64) throws(DKIMError) -> [UInt8] {
        let text = String(decoding: message, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw .notAMessage }
        let fields = Self.headerFields(String(text[..<split.lowerBound]))
        let body = String(text[split.upperBound...])
        let bodyHash = Data(SHA256.hash(data: Data(Self.relaxedBody(body).utf8))).base64EncodedString()

        // Sign the headers that are present, each by its last occurrence (RFC 6376 §5.4.2).
        let signed = headers.filter { name in fields.contains { $0.name.lowercased() == name } }
        var input = ""
        for name in signed {
            let field = fields.last { $0.name.lowercased() == name }!
            input += Self.relaxedHeader(field.name, field.value) + "\r\n"
        }
        // h= folded at its colons to keep lines short; verifiers ignore the folding white space.
        var headerList = ""
        var line = "\th="
        for (index, name) in signed.enumerated() {
            let piece = name + (index < signed.count - 1 ? ":" : ";")
            if line.count + piece.count > 76 {
                headerList += line + "\r\n"
                line = "\t"
            }
            line += piece
        }
        headerList += line
        let value = "v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n\td=\(domain); s=\(selector); t=\(time);\r\n\(headerList)\r\n\tbh=\(bodyHash);\r\n\tb="
        input += Self.relaxedHeader("DKIM-Signature", value)
        let signature: _RSA.Signing.RSASignature
        do {
            signature = try key.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5)
        } catch {
            throw .signing("\(error)")
        }
        // Folded every 70 characters: white space inside b= is ignored by verifiers.
        let b64 = signature.rawRepresentation.base64EncodedString()
        var folded = ""
        var index = b64.startIndex
        while index < b64.endIndex {
            let end = b64.index(index, offsetBy: 70, limitedBy: b64.endIndex) ?? b64.endIndex
            folded += (folded.isEmpty ? "" : "\r\n\t") + b64[index..<end]
            index = end
        }
        return Array(("DKIM-Signature: " + value + folded + "\r\n").utf8) + message
    }

    struct Field {
        let name: String
        let value: String
    }

    /// Header fields with their (still folded) values.
    static func headerFields(_ head: String) -> [Field] {
        var fields: [Field] = []
        for line in head.components(separatedBy: "\r\n") {
            if let first = line.first, first == " " || first == "\t", let last = fields.popLast() {
                fields.append(Field(name: last.name, value: last.value + "\r\n" + line))
            } else if let colon = line.firstIndex(of: ":") {
                fields.append(Field(name: String(line[..<colon]), value: String(line[line.index(after: colon)...])))
            }
        }
        return fields
    }

    /// Relaxed header canonicalization: lower-case name, unfolded, runs of white space as one
    /// space, none at either end of the value.
    static func relaxedHeader(_ name: String, _ value: String) -> String {
        let unfolded = value.replacingOccurrences(of: "\r\n", with: "")
        return name.lowercased().trimmingCharacters(in: .whitespaces) + ":" + collapse(unfolded).trimmingCharacters(in: .whitespaces)
    }

    /// Relaxed body canonicalization: white space at line ends removed, runs of it as one
    /// space, empty lines at the end removed, and a final CRLF when not empty.
    static func relaxedBody(_ body: String) -> String {
        var lines = body.components(separatedBy: "\r\n").map { line -> String in
            var l = collapse(line)
            while l.hasSuffix(" ") { l.removeLast() }
            return l
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines.isEmpty ? "" : lines.joined(separator: "\r\n") + "\r\n"
    }

    private static func collapse(_ text: String) -> String {
        var out = ""
        var inSpace = false
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\t" {
                if !inSpace { out.unicodeScalars.append(" ") }
                inSpace = true
            } else {
                out.unicodeScalars.append(scalar)
                inSpace = false
            }
        }
        return out
    }
}

/// Why a message could not be signed.
public enum DKIMError: Error, CustomStringConvertible, Equatable {
    case badKey(String)
    case notAMessage
    case signing(String)

    public var description: String {
        switch self {
        case .badKey(let why): "the DKIM private key cannot be used: \(why)"
        case .notAMessage: "the message has no header/body separator"
        case .signing(let why): "DKIM signing failed: \(why)"
        }
    }
}
