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
        for segment in segments {
            switch segment {
            case .shared(let bytes): out += bytes
            case .block(let blocks): if let code = person.prefecture, let bytes = blocks[code] { out += bytes }
            }
        }
        let personal = leftover + Array(tail.filled(person, html: html).utf8)
        return out + Self.base64Lines(personal[...])
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
        guard !bytes.isEmpty else { return [] }
        let encoded = Array(Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]).utf8)
        return encoded + [0x0D, 0x0A]
    }
}
