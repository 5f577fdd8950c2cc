import Foundation

/// A mail as it came in (from a Maildir file or an MTA's pipe), read just enough to tell what
/// it is: its header fields, unfolded, and its MIME parts, nested.
///
/// ```swift
/// let message = InboundMessage(Array(data))
/// message.header("Subject")            // "Undelivered Mail Returned to Sender"
/// message.parts.map(\.contentType)      // ["text/plain", "message/delivery-status", …]
/// ```
/// Lenient on purpose: whatever arrives is read without throwing, and what cannot be read is
/// simply absent, so the message can still be kept and listed.
public struct InboundMessage: Sendable {
    /// Header fields in order, names as written, values unfolded.
    public let headers: [(name: String, value: String)]
    /// The body after the blank line, as bytes.
    public let body: [UInt8]
    /// The MIME parts of a multipart body (each parsed the same way), else none.
    public let parts: [InboundMessage]

    public init(_ bytes: [UInt8], depth: Int = 0) {
        let (head, body) = Self.split(bytes)
        headers = Self.fields(head)
        self.body = body
        var parts: [InboundMessage] = []
        let type = Self.parameters(of: headers.first { $0.name.lowercased() == "content-type" }?.value ?? "")
        if depth < 4, type.value.hasPrefix("multipart/"), let boundary = type.parameters["boundary"], !boundary.isEmpty {
            parts = Self.split(body, boundary: boundary).map { InboundMessage($0, depth: depth + 1) }
        } else if depth < 4, type.value == "message/rfc822" || type.value == "text/rfc822-headers" {
            parts = [InboundMessage(body, depth: depth + 1)]
        }
        self.parts = parts
    }

    /// The first value of a header field, by case-insensitive name.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Every value of a header field, in order.
    public func headers(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// `text/plain` when the message says nothing (RFC 2045), in lower case.
    public var contentType: String {
        let value = Self.parameters(of: header("Content-Type") ?? "").value
        return value.isEmpty ? "text/plain" : value
    }

    /// This message and every part below it, depth first.
    public var allParts: [InboundMessage] { [self] + parts.flatMap(\.allParts) }

    /// The body as text: quoted-printable and base64 undone, read as UTF-8 (or Latin-1).
    public var text: String {
        var bytes = body
        switch (header("Content-Transfer-Encoding") ?? "").lowercased().trimmingCharacters(in: .whitespaces) {
        case "base64":
            let clean = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
            bytes = Data(base64Encoded: clean, options: .ignoreUnknownCharacters).map { Array($0) } ?? bytes
        case "quoted-printable":
            bytes = Self.decodeQuotedPrintable(bytes)
        default:
            break
        }
        return String(bytes: bytes, encoding: .utf8) ?? String(decoding: bytes.map { $0 < 0x80 ? $0 : 0x3F }, as: UTF8.self)
    }

    // MARK: reading

    static func split(_ bytes: [UInt8]) -> (head: [UInt8], body: [UInt8]) {
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A {
                if i + 1 < bytes.count, bytes[i + 1] == 0x0A { return (Array(bytes[..<i]), Array(bytes[(i + 2)...])) }
                if i + 2 < bytes.count, bytes[i + 1] == 0x0D, bytes[i + 2] == 0x0A {
                    return (Array(bytes[..<i]), Array(bytes[(i + 3)...]))
                }
            }
            i += 1
        }
        return (bytes, [])
    }

    static func fields(_ head: [UInt8]) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        let text = String(decoding: head, as: UTF8.self)
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            if let first = line.first, first == " " || first == "\t", !result.isEmpty {
                result[result.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !name.contains(" ") else { continue }
            result.append((name, line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return result
    }

    /// `text/plain; charset="utf-8"` → ("text/plain", ["charset": "utf-8"]).
    static func parameters(of header: String) -> (value: String, parameters: [String: String]) {
        let pieces = header.split(separator: ";", omittingEmptySubsequences: true)
        let value = pieces.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let key = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var item = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if item.hasPrefix("\""), item.hasSuffix("\""), item.count >= 2 { item = String(item.dropFirst().dropLast()) }
            parameters[key] = item
        }
        return (value, parameters)
    }

    static func split(_ body: [UInt8], boundary: String) -> [[UInt8]] {
        // On bytes: in Swift "\r\n" is one Character, so a String split at "\n" would miss it.
        let open = Array(("--" + boundary).utf8)
        let close = open + [0x2D, 0x2D]
        var parts: [[UInt8]] = []
        var current: [UInt8]?
        var firstLine = true
        for var line in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if line.last == 0x0D { line = line.dropLast() }
            if line.starts(with: close) {
                if let current { parts.append(current) }
                return parts
            }
            if line.starts(with: open) {
                if let current { parts.append(current) }
                current = []
                firstLine = true
                continue
            }
            if current != nil {
                if !firstLine { current!.append(contentsOf: [0x0D, 0x0A]) }
                current!.append(contentsOf: line)
                firstLine = false
            }
        }
        if let current { parts.append(current) }
        return parts
    }

    static func decodeQuotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: b - 0x30
            case 0x41...0x46: b - 0x41 + 10
            case 0x61...0x66: b - 0x61 + 10
            default: nil
            }
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "="), i + 1 < bytes.count {
                if bytes[i + 1] == 0x0A { i += 2; continue }
                if bytes[i + 1] == 0x0D, i + 2 < bytes.count, bytes[i + 2] == 0x0A { i += 3; continue }
                if i + 2 < bytes.count, let high = hex(bytes[i + 1]), let low = hex(bytes[i + 2]) {
                    out.append(high << 4 | low)
                    i += 3
                    continue
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return out
    }
}
