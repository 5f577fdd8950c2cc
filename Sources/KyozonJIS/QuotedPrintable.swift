import Foundation

/// A MIME Content-Transfer-Encoding for a body part.
public enum TransferEncoding: String, Sendable, CaseIterable {
    case sevenBit = "7bit"
    case quotedPrintable = "quoted-printable"
    case base64

    /// The value for the Content-Transfer-Encoding header.
    public var headerValue: String { rawValue }

    /// A MIME part's body in this encoding, followed by the CRLF that belongs to the next
    /// boundary line (RFC 2046), so it can be followed directly by `--boundary`. Line ends in
    /// `bytes` may be CRLF or LF alone; they are written as CRLF. For `sevenBit` the bytes
    /// must be 7-bit safe (see `QuotedPrintable.preferred(for:)`).
    public func encode(_ bytes: [UInt8]) -> [UInt8] {
        let crlf: [UInt8] = [0x0D, 0x0A]
        switch self {
        case .quotedPrintable:
            return QuotedPrintable.encode(bytes) + crlf
        case .base64:
            let text = Data(bytes).base64EncodedString(options: [
                .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
            ])
            return text.isEmpty ? crlf : Array(text.utf8) + crlf
        case .sevenBit:
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 32 + 2)
            for (index, byte) in bytes.enumerated() {
                if byte == 0x0A && (index == 0 || bytes[index - 1] != 0x0D) { out.append(0x0D) }
                out.append(byte)
            }
            return out + crlf
        }
    }
}

/// Quoted-printable (RFC 2045 §6.7) for text parts that are mostly ASCII.
public enum QuotedPrintable {
    /// Encoded lines are at most this long, soft-break `=` included.
    public static let maxLineLength = 76

    /// Encodes bytes. CRLF or LF alone ends a line (written as CRLF); longer lines get soft
    /// breaks (`=` CRLF) so none exceeds 76 characters. Written as `=XX`: `=`, bytes from 0x7F
    /// up, controls other than tab, a space or tab ending a line, and, at the start of an
    /// encoded line, `.` (SMTP) and the `F` of `From ` (mbox). A soft break never falls inside
    /// an `=XX`, a UTF-8 sequence or an escape sequence, so each encoded line also decodes on
    /// its own to whole characters.
    public static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 2)
        var start = 0
        while start < bytes.count {
            if let lf = bytes[start...].firstIndex(of: 0x0A) {
                let end = lf > start && bytes[lf - 1] == 0x0D ? lf - 1 : lf
                encodeLine(bytes[start..<end], into: &out)
                out += [0x0D, 0x0A]
                start = lf + 1
            } else {
                encodeLine(bytes[start...], into: &out)
                break
            }
        }
        return out
    }

    /// The transfer encoding that suits a text part best: `sevenBit` when it can go as it is;
    /// otherwise whichever of quoted-printable and base64 is shorter (quoted-printable on a tie,
    /// as people can read it).
    ///
    /// `sevenBit` means: bytes 0x20–0x7E plus tab and ESC (ISO-2022-JP text is 7bit, RFC 1468),
    /// CR only before LF, every line at most 76 bytes and none ending in a space or tab
    /// (which transports may strip).
    public static func preferred(for bytes: [UInt8]) -> TransferEncoding {
        if isSevenBitSafe(bytes) { return .sevenBit }
        // Both with the final CRLF that TransferEncoding.encode adds.
        let qpLength = encode(bytes).count + 2
        let base64Characters = (bytes.count + 2) / 3 * 4
        let base64Length = base64Characters + 2 * max(1, (base64Characters + 75) / 76)
        return qpLength <= base64Length ? .quotedPrintable : .base64
    }

    static func isSevenBitSafe(_ bytes: [UInt8]) -> Bool {
        var lineLength = 0
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case 0x0A:
                if index > 0, bytes[index - 1] == 0x20 || bytes[index - 1] == 0x09 { return false }
                lineLength = 0
            case 0x0D:
                guard index + 1 < bytes.count, bytes[index + 1] == 0x0A else { return false }
                if index > 0, bytes[index - 1] == 0x20 || bytes[index - 1] == 0x09 { return false }
            case 0x20...0x7E, 0x09, 0x1B:
                lineLength += 1
                if lineLength > maxLineLength { return false }
            default:
                return false
            }
        }
        if let last = bytes.last, last == 0x20 || last == 0x09 { return false }
        return true
    }

    /// One hard line (without its line end), with soft breaks as needed.
    private static func encodeLine(_ line: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var column = 0
        var index = line.startIndex
        while index < line.endIndex {
            let length = unitLength(line, at: index)
            let isLast = index + length == line.endIndex
            var encoded = encodeUnit(line, at: index, length: length, lineStart: column == 0)
            // Leave room for the soft break's `=` unless this unit ends the hard line.
            if column + encoded.count > maxLineLength - (isLast ? 0 : 1) {
                out += [0x3D, 0x0D, 0x0A]
                column = 0
                encoded = encodeUnit(line, at: index, length: length, lineStart: true)
            }
            out += encoded
            column += encoded.count
            index += length
        }
    }

    /// Bytes kept together on one encoded line: a well-formed UTF-8 sequence, an ISO 2022
    /// escape sequence (ESC, intermediates 0x20–0x2F, a final byte), or else one byte.
    private static func unitLength(_ line: ArraySlice<UInt8>, at index: Int) -> Int {
        let byte = line[index]
        if byte == 0x1B {
            var end = index + 1
            while end < line.endIndex, (0x20...0x2F).contains(line[end]) { end += 1 }
            if end > index + 1, end < line.endIndex, (0x30...0x7E).contains(line[end]) { return end + 1 - index }
            return 1
        }
        let continuation: Int
        switch byte {
        case 0xC2...0xDF: continuation = 1
        case 0xE0...0xEF: continuation = 2
        case 0xF0...0xF4: continuation = 3
        default: return 1
        }
        guard index + continuation < line.endIndex else { return 1 }
        for next in (index + 1)...(index + continuation) where !(0x80...0xBF).contains(line[next]) { return 1 }
        return continuation + 1
    }

    private static func encodeUnit(_ line: ArraySlice<UInt8>, at index: Int, length: Int, lineStart: Bool) -> [UInt8] {
        var out: [UInt8] = []
        for position in index..<(index + length) {
            let byte = line[position]
            let literal: Bool
            switch byte {
            case 0x09, 0x20:
                literal = position + 1 < line.endIndex  // not at the end of the line
            case 0x2E:  // "."
                literal = !(lineStart && position == index)
            case 0x46:  // "F" of "From "
                literal = !(lineStart && position == index && line[(position + 1)...].starts(with: Array("rom ".utf8)))
            case 0x3D:
                literal = false
            case 0x21...0x7E:
                literal = true
            default:
                literal = false
            }
            if literal {
                out.append(byte)
            } else {
                out += [0x3D, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
        return out
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
