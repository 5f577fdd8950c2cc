/// Inlines a mail template's `<style>` rules into `style` attributes.
///
/// Runs on the Mustache template *source*, once at template load: Mustache tags
/// are opaque text and survive byte for byte, so the result is still a template.
///
/// - Supported selectors: type (`td`), class (`.item`, `p.note`, `.a.b`), id
///   (`#toc`), descendant chains (`.item td a`) and comma lists (`h1, h2`).
///   Anything else (`>`, `+`, `~`, `[attr]`, `:hover`, `::before`, `*`) and any
///   at-rule other than `@media` throws a ``CSSInlinerError`` naming the rule and line.
/// - Cascade, lowest to highest: sheet declarations by specificity
///   (id > class > type) then source order; the element's existing `style`
///   declarations; sheet `!important` declarations (same ordering); existing
///   inline `!important` declarations. Each property is written once, with its
///   winning value, in that cascade order (so a later shorthand such as
///   `padding` correctly overrides an earlier longhand). `!important` from the
///   sheet is dropped when inlined, so `@media` rules with `!important` can
///   still override the inline value; inline `!important` is kept.
/// - Output: `style="prop:value;prop2:value2"`, double-quoted, with `&` and `"`
///   escaped (`font-family:'Hiragino Sans'` keeps its single quotes).
/// - All `<style>` elements are removed, except that `@media` blocks are kept
///   verbatim, in source order, inside the first `<style>` element (its start tag
///   untouched). A `<style>` element alone on its line is removed with the line.
/// - Everything else — attribute order, whitespace, text, comments including
///   `<!--[if mso]>` conditional comments (whose contents are not parsed) — is
///   left byte-identical. Elements that no rule matches are not touched at all.
public struct CSSInliner: Sendable {
    /// Creates an inliner.
    public init() {}

    /// Returns `template` with its `<style>` rules inlined.
    ///
    /// - Parameters:
    ///   - template: The template source, e.g. the contents of `Templates/issue.html.mustache`.
    ///   - fileName: Used only in error messages, e.g. `"Templates/issue.html.mustache"`.
    /// - Throws: ``CSSInlinerError`` for unsupported selectors or at-rules,
    ///   unreadable CSS, and unreadable or mis-nested HTML (e.g. a stray end tag).
    public func inline(_ template: String, fileName: String) throws(CSSInlinerError) -> String {
        let source = SourceText(template, fileName: fileName)
        let tokens = try HTMLTokenizer.tokenize(source)

        // Read all style blocks first so rules apply wherever the block sits.
        var styles: [StyleElement] = []
        var sheet = CSSStyleSheet()
        for (index, token) in tokens.enumerated() {
            guard case let .startTag(tag) = token, tag.name == "style", index + 2 < tokens.count,
                  case let .text(content) = tokens[index + 1],
                  case let .endTag(_, endTag) = tokens[index + 2]
            else { continue }
            styles.append(StyleElement(element: tag.range.lowerBound..<endTag.upperBound, content: content))
            sheet.append(try CSSStyleSheet(parsing: source, range: content))
        }

        var edits = styleElementEdits(styles, sheet: sheet, source: source)
        var openElements: [HTMLElement] = []
        for token in tokens {
            switch token {
            case let .startTag(tag):
                let element = HTMLElement(tag, in: source)
                if tag.name != "style",
                   let edit = try styleAttributeEdit(tag, element, ancestors: openElements, sheet: sheet, source: source)
                {
                    edits.append(edit)
                }
                if !tag.isSelfClosing && !HTMLElement.voidElements.contains(tag.name) {
                    openElements.append(element)
                }
            case let .endTag(name, range):
                if HTMLElement.voidElements.contains(name) { continue }  // `</br>`: nothing to close
                guard let innermost = openElements.last else {
                    throw source.error(.unmatchedEndTag(tag: name, openElement: nil, openedOnLine: nil),
                                       at: range.lowerBound)
                }
                if innermost.name == name {
                    openElements.removeLast()
                } else if openElements.contains(where: { $0.name == name }) {
                    throw source.error(.unmatchedEndTag(tag: name, openElement: innermost.name,
                                                        openedOnLine: innermost.line), at: range.lowerBound)
                } else {
                    throw source.error(.unmatchedEndTag(tag: name, openElement: nil, openedOnLine: nil),
                                       at: range.lowerBound)
                }
            case .text, .comment, .markup:
                continue
            }
        }
        return Self.apply(edits, to: source.bytes)
    }

    // MARK: - Cascade

    /// Cascade tiers, lowest first.
    private enum Tier: Int, Comparable {
        case sheet, inline, sheetImportant, inlineImportant
        static func < (lhs: Tier, rhs: Tier) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    private struct CascadeEntry {
        var declaration: CSSDeclaration
        var tier: Tier
        var specificity: Specificity
        /// Source order: sheet declarations first, then the style attribute's.
        var order: Int

        static func precedes(_ lhs: CascadeEntry, _ rhs: CascadeEntry) -> Bool {
            if lhs.tier != rhs.tier { return lhs.tier < rhs.tier }
            if lhs.specificity != rhs.specificity { return lhs.specificity < rhs.specificity }
            return lhs.order < rhs.order
        }
    }

    /// The new `style` attribute for `tag`, or nil when no rule matches (the tag is then left as is).
    private func styleAttributeEdit(
        _ tag: HTMLStartTag, _ element: HTMLElement, ancestors: [HTMLElement],
        sheet: CSSStyleSheet, source: SourceText
    ) throws(CSSInlinerError) -> Edit? {
        var entries: [CascadeEntry] = []
        for rule in sheet.rules {
            // A rule matched by several selectors of its list counts with the most specific one.
            var best: Specificity?
            for selector in rule.selectors where selector.matches(element, ancestors: ancestors) {
                best = max(best ?? selector.specificity, selector.specificity)
            }
            guard let best else { continue }
            for declaration in rule.declarations {
                entries.append(CascadeEntry(declaration: declaration,
                                            tier: declaration.isImportant ? .sheetImportant : .sheet,
                                            specificity: best, order: entries.count))
            }
        }
        guard !entries.isEmpty else { return nil }

        let existing = tag.attributes.first { $0.name == "style" }
        if let existing {
            let text = existing.valueRange.map { HTMLAttributeText.decode(source.bytes[$0]) } ?? []
            let declarations: [CSSDeclaration]
            do {
                declarations = try CSSDeclaration.parseList(text, 0..<text.count)
            } catch {
                throw source.error(.invalidHTML(
                    "the declaration \"\(error.text)\" in the style attribute of <\(tag.name)> \(error.reason), "
                        + "so the <style> rules that match this element cannot be merged into it"
                ), at: tag.range.lowerBound)
            }
            for declaration in declarations {
                entries.append(CascadeEntry(declaration: declaration,
                                            tier: declaration.isImportant ? .inlineImportant : .inline,
                                            specificity: Specificity(), order: entries.count))
            }
        }

        entries.sort(by: CascadeEntry.precedes)
        // Keep each property's last (winning) entry, in cascade order.
        var seen: Set<String> = []
        var winners: [CascadeEntry] = []
        for entry in entries.reversed() where seen.insert(entry.declaration.property).inserted {
            winners.append(entry)
        }
        let css = winners.reversed().map { entry in
            let important = entry.tier == .inlineImportant ? " !important" : ""
            return "\(entry.declaration.property):\(entry.declaration.value)\(important)"
        }.joined(separator: ";")
        let attribute = "style=\"\(HTMLAttributeText.escape(css))\""
        if let existing {
            return Edit(range: existing.range, replacement: attribute)
        }
        return Edit(range: tag.insertionPoint..<tag.insertionPoint, replacement: " " + attribute)
    }

    // MARK: - Style elements

    private struct StyleElement {
        /// From `<style` to `</style>` inclusive.
        var element: Range<Int>
        var content: Range<Int>
    }

    /// Removes every `<style>` element, except that the first keeps the `@media` blocks (if any).
    private func styleElementEdits(_ styles: [StyleElement], sheet: CSSStyleSheet, source: SourceText) -> [Edit] {
        guard let first = styles.first else { return [] }
        var edits: [Edit] = []
        if sheet.mediaBlocks.isEmpty {
            edits.append(Self.removal(of: first.element, in: source.bytes))
        } else {
            edits.append(Edit(range: first.content, replacement: Self.mediaCSS(sheet.mediaBlocks, replacing: first.content,
                                                                               in: source.bytes)))
        }
        for style in styles.dropFirst() {
            edits.append(Self.removal(of: style.element, in: source.bytes))
        }
        return edits
    }

    /// The kept `@media` blocks, laid out like the original block: one per line,
    /// with their original indentation and the closing tag's indentation.
    private static func mediaCSS(_ blocks: [CSSMediaBlock], replacing content: Range<Int>, in bytes: [UInt8]) -> String {
        guard let lastNewline = bytes[content].lastIndex(of: ASCII.newline) else {
            return blocks.map(\.text).joined(separator: " ")
        }
        let tail = lastNewline + 1..<content.upperBound
        let closingIndentation = bytes[tail].allSatisfy { $0 == ASCII.space || $0 == ASCII.tab }
            ? Bytes.string(bytes, tail) : ""
        let body = blocks.map { $0.indentation + $0.text }.joined(separator: "\n")
        return "\n" + body + "\n" + closingIndentation
    }

    /// Removes `range`, together with its line when nothing else is on that line.
    private static func removal(of range: Range<Int>, in bytes: [UInt8]) -> Edit {
        var start = range.lowerBound
        while start > 0 && (bytes[start - 1] == ASCII.space || bytes[start - 1] == ASCII.tab) { start -= 1 }
        var end = range.upperBound
        while end < bytes.count
            && (bytes[end] == ASCII.space || bytes[end] == ASCII.tab || bytes[end] == ASCII.carriageReturn)
        {
            end += 1
        }
        let isAloneOnLine = (start == 0 || bytes[start - 1] == ASCII.newline)
            && (end == bytes.count || bytes[end] == ASCII.newline)
        guard isAloneOnLine else { return Edit(range: range, replacement: "") }
        return Edit(range: start..<min(end + 1, bytes.count), replacement: "")
    }

    // MARK: - Output

    private struct Edit {
        var range: Range<Int>
        var replacement: String
    }

    /// Copies `bytes`, replacing each (non-overlapping) edit's range.
    private static func apply(_ edits: [Edit], to bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + edits.count * 32)
        var cursor = 0
        for edit in edits.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            output.append(contentsOf: bytes[cursor..<edit.range.lowerBound])
            output.append(contentsOf: edit.replacement.utf8)
            cursor = edit.range.upperBound
        }
        output.append(contentsOf: bytes[cursor...])
        return String(decoding: output, as: UTF8.self)
    }
}
