/// An attribute inside a start tag, located by byte ranges so the tag can be
/// rewritten without touching anything else.
struct HTMLAttribute: Equatable, Sendable {
    /// Lowercased name; empty for a Mustache tag standing in attribute position
    /// (`<td {{#wide}}width="600"{{/wide}}>`).
    var name: String
    /// The whole attribute: name, `=`, and quoted value.
    var range: Range<Int>
    /// The raw value without quotes; nil for a valueless attribute (`hidden`).
    var valueRange: Range<Int>?
}

/// A start tag such as `<td class="item" style="padding:0">`.
struct HTMLStartTag: Equatable, Sendable {
    /// Lowercased element name.
    var name: String
    /// From `<` to `>` inclusive.
    var range: Range<Int>
    var attributes: [HTMLAttribute]
    /// Written as `<x ... />`.
    var isSelfClosing: Bool
    /// Where a new attribute goes: just after the name or the last attribute.
    var insertionPoint: Int
}

/// A piece of the template. Text includes Mustache tags, which are opaque.
enum HTMLToken: Equatable, Sendable {
    case text(Range<Int>)
    /// `<!-- ... -->`, including conditional comments such as `<!--[if mso]>...<![endif]-->`,
    /// whose contents are never parsed.
    case comment(Range<Int>)
    /// `<!DOCTYPE ...>`, `<?...>` and `<![CDATA[...]]>`, passed through.
    case markup(Range<Int>)
    case startTag(HTMLStartTag)
    case endTag(name: String, range: Range<Int>)
}

/// A minimal HTML tokenizer for well-formed mail templates (not a full HTML5 parser).
///
/// It understands start tags with quoted, unquoted and valueless attributes, end
/// tags, comments, doctype and text, and treats Mustache tags as opaque text —
/// including in attribute position and in unquoted values. The contents of
/// `style`, `script`, `title` and `textarea` are raw text up to their end tag.
struct HTMLTokenizer: Sendable {
    static let rawTextElements: Set<String> = ["style", "script", "title", "textarea"]

    private let source: SourceText
    private var position = 0
    /// Name and start offset of a raw-text element whose contents come next.
    private var pendingRawText: (name: String, start: Int)?

    init(_ source: SourceText) {
        self.source = source
    }

    /// All tokens of `source`.
    static func tokenize(_ source: SourceText) throws(CSSInlinerError) -> [HTMLToken] {
        var tokenizer = HTMLTokenizer(source)
        var tokens: [HTMLToken] = []
        while let token = try tokenizer.next() { tokens.append(token) }
        return tokens
    }

    private var bytes: [UInt8] { source.bytes }
    private var count: Int { source.bytes.count }

    mutating func next() throws(CSSInlinerError) -> HTMLToken? {
        if let raw = pendingRawText {
            pendingRawText = nil
            return try rawText(of: raw.name, openedAt: raw.start)
        }
        guard position < count else { return nil }
        if startsMarkup(at: position) { return try markup() }
        let start = position
        // Skip whole Mustache tags: the `<b>` in `{{! a <b> note }}` is not a tag.
        var i = Mustache.tagEnd(in: bytes, at: start, end: count) ?? start + 1
        while i < count && !startsMarkup(at: i) {
            i = Mustache.tagEnd(in: bytes, at: i, end: count) ?? i + 1
        }
        position = i
        return .text(start..<i)
    }

    private func startsMarkup(at i: Int) -> Bool {
        guard bytes[i] == ASCII.lessThan, i + 1 < count else { return false }
        let next = bytes[i + 1]
        if next.isASCIILetter || next == ASCII.bang || next == ASCII.question { return true }
        return next == ASCII.slash && i + 2 < count && bytes[i + 2].isASCIILetter
    }

    private func error(_ message: String, at offset: Int) -> CSSInlinerError {
        source.error(.invalidHTML(message), at: offset)
    }

    private mutating func markup() throws(CSSInlinerError) -> HTMLToken {
        let start = position
        if Bytes.hasPrefixIgnoringCase(bytes, at: start, "<!--") {
            // `<!-->` and `<!--->` are complete (empty) comments in HTML.
            for shortForm in ["<!-->", "<!--->"] where Bytes.hasPrefixIgnoringCase(bytes, at: start, shortForm) {
                position = start + shortForm.utf8.count
                return .comment(start..<position)
            }
            guard let close = Bytes.find("-->", in: bytes, from: start + 4, to: count) else {
                throw error("the HTML comment \"<!--\" here is never closed with \"-->\"", at: start)
            }
            position = close + 3
            return .comment(start..<position)
        }
        if bytes[start + 1] == ASCII.bang || bytes[start + 1] == ASCII.question {
            let isCDATA = Bytes.hasPrefixIgnoringCase(bytes, at: start, "<![cdata[")
            guard let close = Bytes.find(isCDATA ? "]]>" : ">", in: bytes, from: start + 2, to: count) else {
                throw error("the markup \"<\(source.string(start + 1..<start + 2))\" here is never closed with \">\"", at: start)
            }
            position = close + (isCDATA ? 3 : 1)
            return .markup(start..<position)
        }
        if bytes[start + 1] == ASCII.slash {
            let nameEnd = tagNameEnd(from: start + 2)
            let name = Bytes.lowercasedString(bytes, start + 2..<nameEnd)
            guard let close = Bytes.find(">", in: bytes, from: nameEnd, to: count) else {
                throw error("the end tag </\(name) here is never closed with \">\"", at: start)
            }
            position = close + 1
            return .endTag(name: name, range: start..<position)
        }
        return .startTag(try startTag())
    }

    private func tagNameEnd(from start: Int) -> Int {
        var i = start
        while i < count && !bytes[i].isWhitespace && bytes[i] != ASCII.slash && bytes[i] != ASCII.greaterThan {
            i += 1
        }
        return i
    }

    private mutating func startTag() throws(CSSInlinerError) -> HTMLStartTag {
        let start = position
        let nameEnd = tagNameEnd(from: start + 1)
        let name = Bytes.lowercasedString(bytes, start + 1..<nameEnd)
        var tag = HTMLStartTag(name: name, range: start..<start, attributes: [], isSelfClosing: false,
                               insertionPoint: nameEnd)
        func unclosed() -> CSSInlinerError { error("the start tag <\(name) here is never closed with \">\"", at: start) }
        var i = nameEnd
        while true {
            while i < count && bytes[i].isWhitespace { i += 1 }
            guard i < count else { throw unclosed() }
            if bytes[i] == ASCII.greaterThan {
                i += 1
                break
            }
            if bytes[i] == ASCII.slash {
                if i + 1 < count && bytes[i + 1] == ASCII.greaterThan {
                    tag.isSelfClosing = true
                    i += 2
                    break
                }
                i += 1  // A stray `/` between attributes is ignored, as in HTML.
                continue
            }
            if let end = Mustache.tagEnd(in: bytes, at: i, end: count) {
                tag.attributes.append(HTMLAttribute(name: "", range: i..<end, valueRange: nil))
                i = end
                tag.insertionPoint = i
                continue
            }
            let attributeStart = i
            i += 1  // A name is at least one character (HTML allows a leading `=`).
            while i < count {
                if let end = Mustache.tagEnd(in: bytes, at: i, end: count) {
                    i = end
                    continue
                }
                let byte = bytes[i]
                if byte.isWhitespace || byte == ASCII.slash || byte == ASCII.greaterThan || byte == ASCII.equals { break }
                i += 1
            }
            let attributeNameEnd = i
            var valueRange: Range<Int>?
            var k = i
            while k < count && bytes[k].isWhitespace { k += 1 }
            if k < count && bytes[k] == ASCII.equals {
                k += 1
                while k < count && bytes[k].isWhitespace { k += 1 }
                guard k < count else { throw unclosed() }
                let quote = bytes[k]
                if quote == ASCII.doubleQuote || quote == ASCII.singleQuote {
                    // Quoted values end at the matching quote; Mustache tags never contain quotes.
                    guard let close = Bytes.find(quote == ASCII.doubleQuote ? "\"" : "'", in: bytes, from: k + 1, to: count) else {
                        throw error("the value of attribute \"\(source.string(attributeStart..<attributeNameEnd))\" "
                                    + "in <\(name)> here is never closed", at: start)
                    }
                    valueRange = k + 1..<close
                    i = close + 1
                } else {
                    // Unquoted: up to whitespace or `>`, but `{{ x }}` and `{{> p}}` stay whole.
                    var m = k
                    while m < count && !bytes[m].isWhitespace && bytes[m] != ASCII.greaterThan {
                        m = Mustache.tagEnd(in: bytes, at: m, end: count) ?? m + 1
                    }
                    valueRange = k..<m
                    i = m
                }
            }
            tag.attributes.append(HTMLAttribute(
                name: Bytes.lowercasedString(bytes, attributeStart..<attributeNameEnd),
                range: attributeStart..<i,
                valueRange: valueRange
            ))
            tag.insertionPoint = i
        }
        position = i
        tag.range = start..<i
        if Self.rawTextElements.contains(name) && !tag.isSelfClosing {
            pendingRawText = (name, start)
        }
        return tag
    }

    /// The contents of a raw-text element, up to (not including) its end tag.
    private mutating func rawText(of name: String, openedAt openOffset: Int) throws(CSSInlinerError) -> HTMLToken {
        let start = position
        var i = position
        while i + 1 < count {
            if bytes[i] == ASCII.lessThan && bytes[i + 1] == ASCII.slash
                && Bytes.hasPrefixIgnoringCase(bytes, at: i + 2, name)
            {
                let after = i + 2 + name.utf8.count
                if after == count || bytes[after].isWhitespace || bytes[after] == ASCII.greaterThan
                    || bytes[after] == ASCII.slash
                {
                    position = i
                    return .text(start..<i)
                }
            }
            i += 1
        }
        throw error("the <\(name)> element here is never closed with </\(name)>", at: openOffset)
    }
}
