/// A style rule: a selector list and its declarations.
struct CSSStyleRule: Sendable {
    var selectors: [CSSSelector]
    var declarations: [CSSDeclaration]
}

/// An `@media` block, kept verbatim for the `<style>` element left in the head.
struct CSSMediaBlock: Equatable, Sendable {
    /// From `@media` to its closing `}`, byte for byte.
    var text: String
    /// Whitespace before `@media` on its line, so the kept block reads as written.
    var indentation: String
}

/// The contents of the template's `<style>` blocks: style rules to inline and
/// `@media` blocks to keep. Anything else is rejected at load.
struct CSSStyleSheet: Sendable {
    var rules: [CSSStyleRule] = []
    var mediaBlocks: [CSSMediaBlock] = []

    init() {}

    /// Parses `source.bytes[range]` (the contents of one `<style>` element).
    init(parsing source: SourceText, range: Range<Int>) throws(CSSInlinerError) {
        var parser = Parser(source: source, position: range.lowerBound, end: range.upperBound)
        self = try parser.parseSheet()
    }

    /// Appends `other`'s rules after this sheet's (later `<style>` blocks come later in source order).
    mutating func append(_ other: CSSStyleSheet) {
        rules += other.rules
        mediaBlocks += other.mediaBlocks
    }

    private struct Parser {
        let source: SourceText
        var position: Int
        let end: Int
        var bytes: [UInt8] { source.bytes }

        mutating func parseSheet() throws(CSSInlinerError) -> CSSStyleSheet {
            var sheet = CSSStyleSheet()
            while true {
                try skipInsignificant()
                guard position < end else { return sheet }
                switch bytes[position] {
                case ASCII.at:
                    sheet.mediaBlocks.append(try parseMediaBlock())
                case ASCII.closeBrace:
                    throw source.error(.invalidCSS("unexpected \"}\" outside any CSS rule"), at: position)
                default:
                    if let tagEnd = Mustache.tagEnd(in: bytes, at: position, end: end) {
                        let tag = source.string(position..<tagEnd)
                        throw source.error(.invalidCSS(
                            "the Mustache tag \"\(tag)\" cannot be used here: <style> is inlined before "
                                + "Mustache renders, so only declaration values may contain Mustache tags"
                        ), at: position)
                    }
                    sheet.rules.append(try parseStyleRule())
                }
            }
        }

        /// Skips whitespace, comments and the legacy `<!--`/`-->` markers allowed around CSS.
        mutating func skipInsignificant() throws(CSSInlinerError) {
            while position < end {
                if bytes[position].isWhitespace {
                    position += 1
                } else if Bytes.hasPrefixIgnoringCase(bytes, at: position, "<!--") {
                    position += 4
                } else if Bytes.hasPrefixIgnoringCase(bytes, at: position, "-->") {
                    position += 3
                } else if let atom = CSSSyntax.atom(in: bytes, at: position, end: end), atom.kind == .comment {
                    try check(atom)
                    position = atom.end
                } else {
                    return
                }
            }
        }

        /// Moves to the first of `stops` outside comments, strings and Mustache tags; nil at the end.
        mutating func advance(toAnyOf stops: [UInt8]) throws(CSSInlinerError) -> UInt8? {
            while position < end {
                if let atom = CSSSyntax.atom(in: bytes, at: position, end: end) {
                    try check(atom)
                    position = atom.end
                    continue
                }
                if stops.contains(bytes[position]) { return bytes[position] }
                position += 1
            }
            return nil
        }

        func check(_ atom: CSSSyntax.Atom) throws(CSSInlinerError) {
            guard !atom.isTerminated else { return }
            switch atom.kind {
            case .comment:
                throw source.error(.invalidCSS("the CSS comment \"/*\" here is never closed with \"*/\""), at: position)
            case .string:
                throw source.error(.invalidCSS("the CSS string here is not closed on the same line"), at: position)
            case .mustache:
                return
            }
        }

        mutating func parseMediaBlock() throws(CSSInlinerError) -> CSSMediaBlock {
            let start = position
            var nameEnd = position + 1
            while nameEnd < end && bytes[nameEnd].isCSSIdentCharacter { nameEnd += 1 }
            let name = source.string(start..<nameEnd)
            guard name.lowercased() == "@media" else {
                throw source.error(.unsupportedAtRule(name: name), at: start)
            }
            position = nameEnd
            guard try advance(toAnyOf: [ASCII.openBrace, ASCII.semicolon, ASCII.closeBrace]) == ASCII.openBrace else {
                throw source.error(.invalidCSS("the @media rule here has no { block }"), at: start)
            }
            // The block is kept verbatim, so only find its end: nested rules are not inspected.
            var depth = 0
            while let brace = try advance(toAnyOf: [ASCII.openBrace, ASCII.closeBrace]) {
                depth += brace == ASCII.openBrace ? 1 : -1
                position += 1
                if depth == 0 {
                    return CSSMediaBlock(text: source.string(start..<position), indentation: indentation(before: start))
                }
            }
            throw source.error(.invalidCSS("the @media block here is never closed (missing \"}\")"), at: start)
        }

        mutating func parseStyleRule() throws(CSSInlinerError) -> CSSStyleRule {
            let preludeStart = position
            let stop = try advance(toAnyOf: [ASCII.openBrace, ASCII.semicolon, ASCII.closeBrace])
            let prelude = preludeStart..<position
            let preludeText = String(decoding: CSSSyntax.normalized(bytes, prelude), as: UTF8.self)
            switch stop {
            case ASCII.openBrace?:
                break
            case ASCII.semicolon?:
                throw source.error(.invalidCSS(
                    "\"\(preludeText);\" is outside any CSS rule (declarations go inside selector { ... })"
                ), at: preludeStart)
            default:
                throw source.error(.invalidCSS("expected \"{\" after the CSS selector \"\(preludeText)\""), at: preludeStart)
            }
            position += 1
            let bodyStart = position
            switch try advance(toAnyOf: [ASCII.openBrace, ASCII.closeBrace]) {
            case ASCII.closeBrace?:
                break
            case ASCII.openBrace?:
                throw source.error(.invalidCSS(
                    "the CSS rule \"\(preludeText)\" contains a nested { block }, which is not supported"
                ), at: position)
            default:
                throw source.error(.invalidCSS("the CSS rule \"\(preludeText)\" is never closed (missing \"}\")"),
                                   at: preludeStart)
            }
            let body = bodyStart..<position
            position += 1

            let selectors = try parseSelectors(prelude, ruleText: preludeText)
            let declarations: [CSSDeclaration]
            do {
                declarations = try CSSDeclaration.parseList(bytes, body)
            } catch {
                throw source.error(.invalidCSS(
                    "the CSS declaration \"\(error.text)\" in rule \"\(preludeText)\" \(error.reason)"
                ), at: error.offset)
            }
            return CSSStyleRule(selectors: selectors, declarations: declarations)
        }

        func parseSelectors(_ prelude: Range<Int>, ruleText: String) throws(CSSInlinerError) -> [CSSSelector] {
            var selectors: [CSSSelector] = []
            for piece in CSSSyntax.split(bytes, prelude, on: ASCII.comma) {
                let text = String(decoding: CSSSyntax.normalized(bytes, piece), as: UTF8.self)
                let offset = CSSSyntax.firstSignificantIndex(bytes, piece)
                guard !text.isEmpty else {
                    throw source.error(.invalidCSS("the CSS rule \"\(ruleText)\" has an empty selector"), at: offset)
                }
                do {
                    selectors.append(try CSSSelector(parsing: text))
                } catch {
                    throw source.error(.unsupportedSelector(selector: text, rule: ruleText, hint: error.hint), at: offset)
                }
            }
            return selectors
        }

        /// Spaces and tabs between the previous newline and `index`, if only those.
        func indentation(before index: Int) -> String {
            var start = index
            while start > 0 && (bytes[start - 1] == ASCII.space || bytes[start - 1] == ASCII.tab) { start -= 1 }
            return start == 0 || bytes[start - 1] == ASCII.newline ? source.string(start..<index) : ""
        }
    }
}
