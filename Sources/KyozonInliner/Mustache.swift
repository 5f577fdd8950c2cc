/// Recognises Mustache tags so the scanners can treat them as opaque text.
///
/// The inliner runs on the template *source*, before Mustache renders it, so
/// `{{url}}`, `{{{html}}}`, `{{#items}}`, `{{/items}}`, `{{^none}}`,
/// `{{> partial}}` and `{{! comment }}` must survive byte for byte and must not
/// be mistaken for HTML or CSS syntax (they may contain `>`, spaces or `}`).
/// Custom delimiters (`{{=<% %>=}}`) are not supported.
enum Mustache {
    /// If a complete Mustache tag starts at `index`, the index just past it; otherwise `nil`
    /// (an unterminated `{{` is then treated as ordinary text by the caller).
    static func tagEnd(in bytes: [UInt8], at index: Int, end: Int) -> Int? {
        guard index + 1 < end, bytes[index] == ASCII.openBrace, bytes[index + 1] == ASCII.openBrace else {
            return nil
        }
        let isTriple = index + 2 < end && bytes[index + 2] == ASCII.openBrace
        let closingLength = isTriple ? 3 : 2
        var i = index + closingLength
        while i + closingLength <= end {
            if bytes[i] == ASCII.closeBrace && bytes[i + 1] == ASCII.closeBrace
                && (!isTriple || bytes[i + 2] == ASCII.closeBrace)
            {
                return i + closingLength
            }
            i += 1
        }
        return nil
    }

    /// +1 for a section opener (`{{#x}}`, `{{^x}}`), -1 for a closer (`{{/x}}`), else 0.
    static func sectionDelta(of bytes: [UInt8], tag: Range<Int>) -> Int {
        var i = tag.lowerBound + 2
        guard i < tag.upperBound, bytes[i] != ASCII.openBrace else { return 0 }
        while i < tag.upperBound && bytes[i].isWhitespace { i += 1 }
        guard i < tag.upperBound else { return 0 }
        switch bytes[i] {
        case ASCII.hash, ASCII.caret: return 1
        case ASCII.slash: return -1
        default: return 0
        }
    }

    /// Whether `bytes[range]` contains `{{`.
    static func containsTagOpener(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        Bytes.find("{{", in: bytes, from: range.lowerBound, to: range.upperBound) != nil
    }
}
