import Foundation

/// A rendered part cut once at its personal markers, so that each reader's copy is only the
/// concatenation of shared segments and a few personal values, not a search through the
/// whole issue per reader. Both the preview files and the sent messages are made this way.
struct SplicedText: Sendable {
    enum Piece: Sendable {
        case text(String)
        case name
        case organization
        case unsubscribeURL
        /// The reader's 「貴県からの掲載」 block, from `blocks`.
        case yourPrefecture
    }

    let pieces: [Piece]
    let sharedLength: Int
    /// The prefecture blocks, by JIS code (none: the reader's prefecture has no items).
    let blocks: [Int: String]

    init(pieces: [Piece], blocks: [Int: String] = [:]) {
        self.pieces = pieces
        self.blocks = blocks
        self.sharedLength = pieces.reduce(0) {
            if case .text(let t) = $1 { return $0 + t.utf8.count }
            return $0
        }
    }

    init(_ rendered: String, blocks: [Int: String] = [:]) {
        let markers: [(String, Piece)] = [
            (Personalization.Marker.name, .name), (Personalization.Marker.organization, .organization),
            (Personalization.Marker.unsubscribeURL, .unsubscribeURL), (Personalization.Marker.yourPrefecture, .yourPrefecture),
        ]
        var pieces: [Piece] = []
        var rest = Substring(rendered)
        while let start = rest.firstIndex(of: "\u{F8F0}") {
            guard let match = markers.first(where: { rest[start...].hasPrefix($0.0) }) else {
                // Not one of ours (the collector removes private-use characters): keep it as text.
                pieces.append(.text(String(rest[...start])))
                rest = rest[rest.index(after: start)...]
                continue
            }
            if start > rest.startIndex { pieces.append(.text(String(rest[..<start]))) }
            pieces.append(match.1)
            rest = rest[rest.index(start, offsetBy: match.0.count)...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        self.init(pieces: pieces, blocks: blocks)
    }

    /// The same part with CRLF line ends, as MIME wants (personal values are one line).
    func withCRLF() -> SplicedText {
        func crlf(_ text: String) -> String {
            text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        }
        return SplicedText(
            pieces: pieces.map { piece in
                guard case .text(let text) = piece else { return piece }
                return .text(crlf(text))
            },
            blocks: blocks.mapValues(crlf))
    }

    /// The part for one reader: values made one line, and escaped when the part is HTML.
    func filled(_ person: Personalization, html: Bool) -> String {
        func value(_ text: String) -> String {
            let line = HeaderEncoding.singleLine(text)
            return html ? HTMLEscaping.escape(line) : line
        }
        return filled(
            name: value(person.name), organization: value(person.organization), unsubscribeURL: value(person.unsubscribeURL),
            prefecture: person.prefecture)
    }

    /// The part for one reader; values are used as given (escape them first for HTML).
    func filled(name: String, organization: String, unsubscribeURL: String, prefecture: Int?) -> String {
        var out = ""
        out.reserveCapacity(sharedLength + 256)
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .name: out += name
            case .organization: out += organization
            case .unsubscribeURL: out += unsubscribeURL
            case .yourPrefecture: out += prefecture.flatMap { blocks[$0] } ?? ""
            }
        }
        return out
    }
}
