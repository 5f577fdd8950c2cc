/// Lays out plain text for fixed-width Japanese mail readers: lines of at most `width`
/// columns (wide characters count two), 禁則処理 (no line starts with 、。」 and the like, none
/// ends with 「（ and the like), and URLs never broken, each on a line of its own.
public enum TextLayout {
    /// Characters that may not begin a line (行頭禁則).
    static let noLineStart: Set<Character> = Set(
        "、。，．,.・：；:;？！?!゛゜ヽヾゝゞ々〻ー―‐〜～…‥）)」』】〕〉》］]｝}〙〗〟’”»ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ%％")
    /// Characters that may not end a line (行末禁則).
    static let noLineEnd: Set<Character> = Set("（(「『【〔〈《［[｛{〘〖〝‘“«")

    /// `text` wrapped at `width` columns, each line after `indent` (counted in the width).
    /// Existing line breaks are kept; runs of non-URL ASCII break only at spaces.
    public static func wrap(_ text: String, width: Int = 70, indent: String = "") -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { wrapLine(String($0), width: width, indent: indent) }
            .joined(separator: "\n")
    }

    static func wrapLine(_ line: String, width: Int, indent: String) -> String {
        let room = max(width - EastAsianWidth.columns(indent), 10)
        var lines: [String] = []
        var current: [Character] = []
        var currentWidth = 0

        /// Ends the current line. Trailing spaces are dropped, and trailing opening brackets
        /// move to the next line (行末禁則), whatever caused the break.
        func flush(final: Bool = false) {
            while current.last == " " { current.removeLast() }
            var carried: [Character] = []
            while !final, let last = current.last, noLineEnd.contains(last) {
                carried.insert(current.removeLast(), at: 0)
            }
            if !current.isEmpty || (final && lines.isEmpty) { lines.append(indent + String(current)) }
            current = carried
            currentWidth = EastAsianWidth.columns(String(carried))
        }

        for token in tokens(line) {
            if token.isURL {
                flush()
                current += token.text
                flush()
                continue
            }
            let tokenWidth = EastAsianWidth.columns(token.text)
            if token.text == " " && current.isEmpty { continue }
            if currentWidth + tokenWidth <= room {
                current += token.text
                currentWidth += tokenWidth
                continue
            }
            if token.text == " " {
                flush()
                continue
            }
            let character = token.text.first!
            if !token.isWord, noLineStart.contains(character) {
                // Hang it on this line (ぶら下げ) rather than start the next with it.
                current.append(character)
                flush()
                continue
            }
            // The token goes to the next line (an ASCII word whole, even if longer than a line).
            flush()
            current += token.text
            currentWidth += tokenWidth
        }
        flush(final: true)
        return lines.joined(separator: "\n")
    }

    struct Token {
        let text: String
        let isURL: Bool
        let isWord: Bool
    }

    /// URLs, runs of ASCII letters and digits (words), spaces, and single other characters.
    static func tokens(_ line: String) -> [Token] {
        var result: [Token] = []
        var rest = Substring(line)
        while let first = rest.first {
            if rest.hasPrefix("http://") || rest.hasPrefix("https://") {
                let url = rest.prefix { !$0.isWhitespace && $0.isASCII }
                result.append(Token(text: String(url), isURL: true, isWord: false))
                rest = rest.dropFirst(url.count)
            } else if first.isASCII && !first.isWhitespace {
                var run = rest.prefix { $0.isASCII && !$0.isWhitespace }
                // A URL glued to a word ("URL:https://…") starts a token of its own.
                if let url = run.dropFirst().firstRange(of: "http://") ?? run.dropFirst().firstRange(of: "https://") {
                    run = run[..<url.lowerBound]
                }
                result.append(Token(text: String(run), isURL: false, isWord: run.count > 1))
                rest = rest.dropFirst(run.count)
            } else {
                result.append(Token(text: String(first), isURL: false, isWord: false))
                rest = rest.dropFirst()
            }
        }
        return result
    }
}
