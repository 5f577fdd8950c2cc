/// One `property: value` pair from a rule or a `style` attribute.
struct CSSDeclaration: Equatable, Sendable {
    /// Lowercased, except custom properties (`--brand`), which are case-sensitive.
    var property: String
    /// Whitespace-normalized value without `!important`; quotes and Mustache tags kept as written.
    var value: String
    var isImportant: Bool

    /// A declaration that cannot be read.
    struct SyntaxError: Error, Equatable {
        /// The declaration as written (normalized).
        var text: String
        /// Offset of the declaration in the scanned bytes.
        var offset: Int
        /// Completes "the CSS declaration "…" …", e.g. `has no value`.
        var reason: String
    }

    /// Parses the declarations in `bytes[range]` (a rule body or a `style` attribute value).
    static func parseList(_ bytes: [UInt8], _ range: Range<Int>) throws(SyntaxError) -> [CSSDeclaration] {
        var declarations: [CSSDeclaration] = []
        for piece in CSSSyntax.split(bytes, range, on: ASCII.semicolon) {
            let text = CSSSyntax.normalized(bytes, piece)
            if text.isEmpty { continue }
            let offset = CSSSyntax.firstSignificantIndex(bytes, piece)
            func failure(_ reason: String) -> SyntaxError {
                SyntaxError(text: String(decoding: text, as: UTF8.self), offset: offset, reason: reason)
            }
            guard let colon = CSSSyntax.firstTopLevel(ASCII.colon, in: text, 0..<text.count) else {
                throw failure("is not of the form \"property: value\"")
            }
            let nameRange = Bytes.trimmed(text, 0..<colon)
            guard isValidPropertyName(text[nameRange]) else {
                throw failure("has an invalid property name")
            }
            var valueRange = Bytes.trimmed(text, colon + 1..<text.count)
            var isImportant = false
            if let bang = importantMarker(text, valueRange) {
                isImportant = true
                valueRange = Bytes.trimmed(text, valueRange.lowerBound..<bang)
            }
            guard !valueRange.isEmpty else { throw failure("has no value") }
            let rawName = Bytes.string(text, nameRange)
            declarations.append(CSSDeclaration(
                property: rawName.hasPrefix("--") ? rawName : Bytes.lowercasedString(text, nameRange),
                value: Bytes.string(text, valueRange),
                isImportant: isImportant
            ))
        }
        return declarations
    }

    private static func isValidPropertyName(_ name: ArraySlice<UInt8>) -> Bool {
        guard let first = name.first, first.isCSSIdentStart else { return false }
        return name.allSatisfy(\.isCSSIdentCharacter)
    }

    /// Index of the `!` of a trailing `!important` (any case, optional space after `!`).
    private static func importantMarker(_ text: [UInt8], _ range: Range<Int>) -> Int? {
        let keyword = "important".utf8.count
        guard range.count > keyword,
              Bytes.hasPrefixIgnoringCase(text, at: range.upperBound - keyword, "important")
        else { return nil }
        var i = range.upperBound - keyword
        while i > range.lowerBound && text[i - 1].isWhitespace { i -= 1 }
        guard i > range.lowerBound, text[i - 1] == ASCII.bang else { return nil }
        return i - 1
    }
}
