/// Lexical helpers for CSS: comments, strings and Mustache tags are "atoms"
/// whose contents never count as syntax (a `;` inside `'a;b'` or a `}` inside
/// `{{x}}` must not end a declaration or a block).
enum CSSSyntax {
    enum AtomKind { case comment, string, mustache }

    struct Atom {
        var kind: AtomKind
        /// Index just past the atom.
        var end: Int
        /// False for a comment without `*/` or a string without its closing quote on the same line.
        var isTerminated: Bool
    }

    /// The comment, string or Mustache tag starting at `index`, if any.
    static func atom(in bytes: [UInt8], at index: Int, end: Int) -> Atom? {
        let byte = bytes[index]
        if byte == ASCII.slash, index + 1 < end, bytes[index + 1] == ASCII.star {
            if let close = Bytes.find("*/", in: bytes, from: index + 2, to: end) {
                return Atom(kind: .comment, end: close + 2, isTerminated: true)
            }
            return Atom(kind: .comment, end: end, isTerminated: false)
        }
        if byte == ASCII.doubleQuote || byte == ASCII.singleQuote {
            var i = index + 1
            while i < end {
                switch bytes[i] {
                case ASCII.backslash: i += 2
                case byte: return Atom(kind: .string, end: i + 1, isTerminated: true)
                case ASCII.newline: return Atom(kind: .string, end: i, isTerminated: false)
                default: i += 1
                }
            }
            return Atom(kind: .string, end: end, isTerminated: false)
        }
        if let close = Mustache.tagEnd(in: bytes, at: index, end: end) {
            return Atom(kind: .mustache, end: close, isTerminated: true)
        }
        return nil
    }

    /// Splits `range` at `separator` bytes that are outside atoms, parentheses and brackets
    /// (so `url(data:image/png;base64,...)` and `:is(a, b)` stay whole).
    static func split(_ bytes: [UInt8], _ range: Range<Int>, on separator: UInt8) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var pieceStart = range.lowerBound
        var depth = 0
        var i = range.lowerBound
        while i < range.upperBound {
            if let atom = atom(in: bytes, at: i, end: range.upperBound) {
                i = atom.end
                continue
            }
            switch bytes[i] {
            case ASCII.openParen, ASCII.openBracket: depth += 1
            case ASCII.closeParen, ASCII.closeBracket: depth = max(0, depth - 1)
            case separator where depth == 0:
                pieces.append(pieceStart..<i)
                pieceStart = i + 1
            default: break
            }
            i += 1
        }
        pieces.append(pieceStart..<range.upperBound)
        return pieces
    }

    /// Index of the first `byte` in `range` outside atoms and parentheses.
    static func firstTopLevel(_ byte: UInt8, in bytes: [UInt8], _ range: Range<Int>) -> Int? {
        let pieces = split(bytes, range, on: byte)
        return pieces.count > 1 ? pieces[0].upperBound : nil
    }

    /// `bytes[range]` with comments removed, whitespace outside strings and
    /// Mustache tags collapsed to single spaces, and both ends trimmed.
    static func normalized(_ bytes: [UInt8], _ range: Range<Int>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(range.count)
        var pendingSpace = false
        var i = range.lowerBound
        while i < range.upperBound {
            if let atom = atom(in: bytes, at: i, end: range.upperBound) {
                if atom.kind == .comment {
                    // A comment separates tokens like whitespace does.
                    pendingSpace = true
                } else {
                    if pendingSpace && !output.isEmpty { output.append(ASCII.space) }
                    pendingSpace = false
                    output.append(contentsOf: bytes[i..<atom.end])
                }
                i = atom.end
                continue
            }
            if bytes[i].isWhitespace {
                pendingSpace = true
            } else {
                if pendingSpace && !output.isEmpty { output.append(ASCII.space) }
                pendingSpace = false
                output.append(bytes[i])
            }
            i += 1
        }
        return output
    }

    /// First index in `range` that is neither whitespace nor inside a comment
    /// (used to report the line a rule really starts on).
    static func firstSignificantIndex(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
        var i = range.lowerBound
        while i < range.upperBound {
            if bytes[i].isWhitespace {
                i += 1
            } else if let atom = atom(in: bytes, at: i, end: range.upperBound), atom.kind == .comment {
                i = atom.end
            } else {
                return i
            }
        }
        return range.lowerBound
    }
}
