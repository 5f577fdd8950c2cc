import Foundation

/// A base64 body part encoded once, so that each reader's copy is spliced from encoded
/// segments: only the short tail that holds their name and links is encoded per reader.
///
/// base64 turns every 57 bytes into exactly one 76-character line, so text whose length is a
/// multiple of 57 encodes to the same lines alone as inside the whole. The shared text before
/// the 「貴県からの掲載」 block, and each prefecture's block, are padded to such a length with
/// spaces at the end of their last line (invisible in HTML between elements and at a line's
/// end in plain text) and encoded once; the spliced result is byte for byte the encoding of
/// the whole padded part.
struct PreEncodedPart: Sendable {
    /// Shared segments and block choices, already encoded, in order.
    let segments: [Segment]
    /// The bytes after the last whole 57-byte block before the first inline marker.
    let leftover: [UInt8]
    /// Everything from the first inline marker (name, organisation, link) on.
    let tail: SplicedText

    enum Segment: Sendable {
        case shared([UInt8])
        /// The encoded block of each prefecture; a reader whose prefecture has none gets nothing.
        case block([Int: [UInt8]])
    }

    static let lineBytes = 57

    init(_ spliced: SplicedText) {
        var segments: [Segment] = []
        var shared: [UInt8] = []
        var rest: [SplicedText.Piece] = []
        for (index, piece) in spliced.pieces.enumerated() {
            switch piece {
            case .text(let text):
                shared += Array(text.utf8)
            case .yourPrefecture:
                segments.append(.shared(Self.base64Lines(Self.padded(shared)[...])))
                shared = []
                segments.append(.block(spliced.blocks.mapValues { Self.base64Lines(Self.padded(Array($0.utf8))[...]) }))
            default:
                rest = Array(spliced.pieces[index...])
            }
            if !rest.isEmpty { break }
        }
        let aligned = shared.count / Self.lineBytes * Self.lineBytes
        segments.append(.shared(Self.base64Lines(shared[..<aligned])))
        self.segments = segments
        leftover = Array(shared[aligned...])
        tail = SplicedText(pieces: rest, blocks: spliced.blocks)
    }

    /// The encoded part for one reader.
    func encoded(_ person: Personalization, html: Bool) -> [UInt8] {
        var out: [UInt8] = []
        append(person, html: html, to: &out)
        return out
    }

    /// The most bytes one reader's encoded part takes besides the personal tail.
    var sharedCount: Int {
        segments.reduce(0) {
            switch $1 {
            case .shared(let bytes): $0 + bytes.count
            case .block(let blocks): $0 + (blocks.values.map(\.count).max() ?? 0)
            }
        }
    }

    /// Appends the encoded part for one reader to `out`: each shared byte is copied once, and
    /// only the personal tail is encoded (straight into `out`). This runs once per message.
    func append(_ person: Personalization, html: Bool, to out: inout [UInt8]) {
        for segment in segments {
            switch segment {
            case .shared(let bytes): out.append(contentsOf: bytes)
            case .block(let blocks): if let code = person.prefecture, let bytes = blocks[code] { out.append(contentsOf: bytes) }
            }
        }
        var personal = leftover
        personal.append(contentsOf: tail.filled(person, html: html).utf8)
        Self.appendBase64Lines(personal, to: &out)
    }

    /// `bytes` made a multiple of 57 long with spaces before its final line end (or at its end).
    static func padded(_ bytes: [UInt8]) -> [UInt8] {
        let missing = (lineBytes - bytes.count % lineBytes) % lineBytes
        guard missing > 0 else { return bytes }
        let spaces = [UInt8](repeating: 0x20, count: missing)
        if bytes.count >= 2, bytes[bytes.count - 2] == 0x0D, bytes[bytes.count - 1] == 0x0A {
            return Array(bytes[..<(bytes.count - 2)]) + spaces + [0x0D, 0x0A]
        }
        return bytes + spaces
    }

    /// Base64 in lines of 76 characters, each ending in CRLF.
    static func base64Lines(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        appendBase64Lines(Array(bytes), to: &out)
        return out
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Base64 (RFC 2045: lines of 76 characters, each ending in CRLF, `=` padding) appended
    /// to `out` without intermediate strings.
    static func appendBase64Lines(_ bytes: [UInt8], to out: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        out.reserveCapacity(out.count + (bytes.count + 2) / 3 * 4 + (bytes.count / lineBytes + 1) * 2)
        bytes.withUnsafeBufferPointer { input in
            var i = 0
            while i < input.count {
                let end = min(i + lineBytes, input.count)
                while i + 3 <= end {
                    let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                    out.append(alphabet[Int(n >> 18 & 63)])
                    out.append(alphabet[Int(n >> 12 & 63)])
                    out.append(alphabet[Int(n >> 6 & 63)])
                    out.append(alphabet[Int(n & 63)])
                    i += 3
                }
                if i < end {
                    let b1 = i + 1 < end ? UInt32(input[i + 1]) : 0
                    let n = UInt32(input[i]) << 16 | b1 << 8
                    out.append(alphabet[Int(n >> 18 & 63)])
                    out.append(alphabet[Int(n >> 12 & 63)])
                    out.append(i + 1 < end ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
                    out.append(UInt8(ascii: "="))
                    i = end
                }
                out.append(0x0D)
                out.append(0x0A)
            }
        }
    }
}
