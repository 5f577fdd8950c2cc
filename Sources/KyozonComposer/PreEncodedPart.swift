import Foundation

/// A base64 body part encoded once up to the first personal marker, so that each reader's
/// copy only encodes the short tail that holds their values.
///
/// base64 turns every 57 bytes into exactly one 76-character line, so a prefix cut at a
/// multiple of 57 bytes encodes to the same lines alone as inside the whole: the spliced
/// result is byte for byte the encoding of the whole part.
struct PreEncodedPart: Sendable {
    /// Base64 lines (each with CRLF) of the shared prefix.
    let encodedPrefix: [UInt8]
    /// The bytes after the last whole 57-byte block before the first marker.
    let leftover: [UInt8]
    /// Everything from the first marker on.
    let tail: SplicedText

    static let lineBytes = 57

    init(_ spliced: SplicedText) {
        var shared: [UInt8] = []
        var rest: [SplicedText.Piece] = []
        for (index, piece) in spliced.pieces.enumerated() {
            if case .text(let text) = piece {
                shared += Array(text.utf8)
            } else {
                rest = Array(spliced.pieces[index...])
                break
            }
        }
        let aligned = shared.count / Self.lineBytes * Self.lineBytes
        encodedPrefix = Self.base64Lines(shared[..<aligned])
        leftover = Array(shared[aligned...])
        tail = SplicedText(pieces: rest)
    }

    /// The encoded part for one reader.
    func encoded(_ person: Personalization, html: Bool) -> [UInt8] {
        let personal = leftover + Array(tail.filled(person, html: html).utf8)
        return encodedPrefix + Self.base64Lines(personal[...])
    }

    /// Base64 in lines of 76 characters, each ending in CRLF.
    static func base64Lines(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        guard !bytes.isEmpty else { return [] }
        let encoded = Array(Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]).utf8)
        return encoded + [0x0D, 0x0A]
    }
}
