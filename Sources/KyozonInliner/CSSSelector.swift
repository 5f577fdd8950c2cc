/// CSS specificity as (ids, classes, types), compared in that order.
struct Specificity: Comparable, Hashable, Sendable {
    var ids = 0
    var classes = 0
    var types = 0

    static func < (lhs: Specificity, rhs: Specificity) -> Bool {
        (lhs.ids, lhs.classes, lhs.types) < (rhs.ids, rhs.classes, rhs.types)
    }
}

/// One compound selector such as `p.note`, `.a.b` or `#toc`.
struct CSSCompoundSelector: Equatable, Sendable {
    /// Lowercased element name, or nil when the compound has none (`.item`).
    var type: String?
    var classes: [String] = []
    var ids: [String] = []

    func matches(_ element: HTMLElement) -> Bool {
        if let type, type != element.name { return false }
        for id in ids where id != element.id { return false }
        for name in classes where !element.classes.contains(name) { return false }
        return true
    }
}

/// A selector from the supported subset: compound selectors joined by the
/// descendant combinator (whitespace), e.g. `.item td a`.
struct CSSSelector: Equatable, Sendable {
    /// The selector as written, with whitespace collapsed and comments removed.
    var text: String
    /// Compounds from outermost (left) to the subject element (right).
    var compounds: [CSSCompoundSelector]

    var specificity: Specificity {
        var result = Specificity()
        for compound in compounds {
            result.ids += compound.ids.count
            result.classes += compound.classes.count
            result.types += compound.type == nil ? 0 : 1
        }
        return result
    }

    /// Why a selector was rejected.
    struct Unsupported: Error, Equatable {
        /// Advice about the offending part, e.g. "put :hover in an @media block or drop it".
        var hint: String?
    }

    /// Parses a normalized selector (no comments, single spaces, trimmed).
    init(parsing text: String) throws(Unsupported) {
        let bytes = Array(text.utf8)
        var compounds: [CSSCompoundSelector] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == ASCII.space {
                i += 1
                continue
            }
            var compound = CSSCompoundSelector()
            var isEmpty = true
            if bytes[i].isCSSIdentStart {
                compound.type = Bytes.lowercasedString(bytes, i..<Self.identifierEnd(bytes, from: i))
                i = Self.identifierEnd(bytes, from: i)
                isEmpty = false
            }
            while i < bytes.count, bytes[i] == ASCII.dot || bytes[i] == ASCII.hash {
                let sigil = bytes[i]
                let nameStart = i + 1
                guard nameStart < bytes.count, bytes[nameStart].isCSSIdentStart else {
                    throw Unsupported(hint: Self.hint(bytes, at: nameStart))
                }
                i = Self.identifierEnd(bytes, from: nameStart)
                // Classes and ids are case-sensitive, unlike element names.
                let name = Bytes.string(bytes, nameStart..<i)
                if sigil == ASCII.dot { compound.classes.append(name) } else { compound.ids.append(name) }
                isEmpty = false
            }
            // Anything else glued to the compound (`a:hover`, `ul>li`, `a[href]`, `*`) is unsupported.
            guard !isEmpty, i == bytes.count || bytes[i] == ASCII.space else {
                throw Unsupported(hint: Self.hint(bytes, at: i))
            }
            compounds.append(compound)
        }
        guard !compounds.isEmpty else { throw Unsupported(hint: nil) }
        self.text = text
        self.compounds = compounds
    }

    /// Whether this selector matches `element`, whose open ancestors are `ancestors` (outermost first).
    func matches(_ element: HTMLElement, ancestors: [HTMLElement]) -> Bool {
        guard let subject = compounds.last, subject.matches(element) else { return false }
        // With only descendant combinators, matching each compound against the
        // nearest qualifying ancestor (right to left) is exact: taking the nearest
        // one leaves the most ancestors for the compounds further left.
        var candidate = ancestors.count - 1
        for compound in compounds.dropLast().reversed() {
            while candidate >= 0 && !compound.matches(ancestors[candidate]) { candidate -= 1 }
            if candidate < 0 { return false }
            candidate -= 1
        }
        return true
    }

    private static func identifierEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var i = start
        while i < bytes.count && bytes[i].isCSSIdentCharacter { i += 1 }
        return i
    }

    /// Advice for the unsupported construct at `index`.
    private static func hint(_ bytes: [UInt8], at index: Int) -> String? {
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case ASCII.colon:
            var end = index + 1
            if end < bytes.count && bytes[end] == ASCII.colon { end += 1 }
            end = identifierEnd(bytes, from: end)
            return "put \(Bytes.string(bytes, index..<end)) in an @media block or drop it"
        case ASCII.greaterThan:
            return "use a space (a descendant selector) instead of \">\""
        case ASCII.plus, ASCII.tilde:
            return "give the element a class instead of using \"\(Bytes.string(bytes, index..<index + 1))\""
        case ASCII.openBracket:
            return "give the element a class instead of using an attribute selector"
        case ASCII.star:
            return "name the element type or give it a class instead of using \"*\""
        case ASCII.openBrace:
            return "Mustache tags cannot be used in selectors"
        default:
            return nil
        }
    }
}
