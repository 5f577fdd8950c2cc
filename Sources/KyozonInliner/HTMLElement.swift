/// What selector matching needs to know about an element.
struct HTMLElement: Equatable, Sendable {
    /// Elements that never have an end tag, so they are never ancestors.
    static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr",
    ]

    /// Lowercased element name.
    var name: String
    /// The literal `id`, or nil when absent or containing Mustache.
    var id: String?
    /// Literal class names; Mustache-dependent ones are left out.
    var classes: [String]
    /// Line of the start tag, for error messages.
    var line: Int

    init(name: String, id: String? = nil, classes: [String] = [], line: Int = 1) {
        self.name = name
        self.id = id
        self.classes = classes
        self.line = line
    }

    init(_ tag: HTMLStartTag, in source: SourceText) {
        let bytes = source.bytes
        var id: String?
        var classes: [String] = []
        var sawID = false
        var sawClass = false
        // As in HTML, the first occurrence of a duplicated attribute counts.
        for attribute in tag.attributes {
            guard let value = attribute.valueRange else { continue }
            if attribute.name == "id" && !sawID {
                sawID = true
                let trimmed = Bytes.trimmed(bytes, value)
                if !trimmed.isEmpty && !Mustache.containsTagOpener(bytes, trimmed) {
                    id = Bytes.string(bytes, trimmed)
                }
            } else if attribute.name == "class" && !sawClass {
                sawClass = true
                classes = Self.literalClasses(bytes, value)
            }
        }
        self.init(name: tag.name, id: id, classes: classes, line: source.line(at: tag.range.lowerBound))
    }

    /// Class tokens that are literally present whatever Mustache renders:
    /// `item {{kind}} {{#on}}active{{/on}}` gives only `item`. Tokens containing
    /// a Mustache tag, or inside a section, depend on the data and are skipped.
    static func literalClasses(_ bytes: [UInt8], _ range: Range<Int>) -> [String] {
        var classes: [String] = []
        var sectionDepth = 0
        var tokenStart: Int?
        var tokenIsLiteral = true
        func finishToken(at end: Int) {
            if let start = tokenStart, tokenIsLiteral, !Mustache.containsTagOpener(bytes, start..<end) {
                classes.append(Bytes.string(bytes, start..<end))
            }
            tokenStart = nil
        }
        var i = range.lowerBound
        while i < range.upperBound {
            if let end = Mustache.tagEnd(in: bytes, at: i, end: range.upperBound) {
                if tokenStart == nil { tokenStart = i }
                tokenIsLiteral = false
                sectionDepth = max(0, sectionDepth + Mustache.sectionDelta(of: bytes, tag: i..<end))
                i = end
                continue
            }
            if bytes[i].isWhitespace {
                finishToken(at: i)
            } else if tokenStart == nil {
                tokenStart = i
                tokenIsLiteral = sectionDepth == 0
            }
            i += 1
        }
        finishToken(at: range.upperBound)
        return classes
    }
}
