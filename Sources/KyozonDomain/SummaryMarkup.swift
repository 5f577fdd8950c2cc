/// The small Markdown subset a summary may use: paragraphs (blank lines), line breaks,
/// bullet lists (`- `, `* `, `・`), numbered lists (`1. `), emphasis (`*x*`), strong
/// emphasis (`**x**`) and links (`[text](https://…)` or a bare http(s) URL). Anything else
/// is text: no raw HTML, no images, no headings, and a link to any other scheme stays text.
///
/// Parsing yields plain values; the composer renders them (and escapes every text run).
public enum SummaryMarkup {
    public enum Block: Sendable, Equatable {
        /// Lines of a paragraph (kept apart: a single line break is a break).
        case paragraph([[Inline]])
        case bulletList([[Inline]])
        case numberedList([[Inline]])
    }

    public enum Inline: Sendable, Equatable {
        case text(String)
        case emphasis(String)
        case strong(String)
        case link(text: String, url: String)
    }

    public static func parse(_ source: String) -> [Block] {
        var blocks: [Block] = []
        var paragraph: [[Inline]] = []
        var bullets: [[Inline]] = []
        var numbers: [[Inline]] = []
        func flush() {
            if !paragraph.isEmpty { blocks.append(.paragraph(paragraph)) }
            if !bullets.isEmpty { blocks.append(.bulletList(bullets)) }
            if !numbers.isEmpty { blocks.append(.numberedList(numbers)) }
            paragraph = []
            bullets = []
            numbers = []
        }
        for rawLine in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine).trimmingWhitespace()
            if line.isEmpty {
                flush()
            } else if let item = bulletItem(line) {
                if bullets.isEmpty { flush() }
                bullets.append(inlines(item))
            } else if let item = numberedItem(line) {
                if numbers.isEmpty { flush() }
                numbers.append(inlines(item))
            } else {
                if !bullets.isEmpty || !numbers.isEmpty { flush() }
                paragraph.append(inlines(line))
            }
        }
        flush()
        return blocks
    }

    static func bulletItem(_ line: String) -> String? {
        for marker in ["- ", "* ", "・", "• "] where line.hasPrefix(marker) {
            let rest = String(line.dropFirst(marker.count)).trimmingWhitespace()
            return rest.isEmpty ? nil : rest
        }
        return nil
    }

    static func numberedItem(_ line: String) -> String? {
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 3 else { return nil }
        let rest = line.dropFirst(digits.count)
        guard rest.hasPrefix(". ") || rest.hasPrefix(") ") else { return nil }
        let text = String(rest.dropFirst(2)).trimmingWhitespace()
        return text.isEmpty ? nil : text
    }

    /// Inline spans of one line, left to right; an unmatched marker is text.
    public static func inlines(_ line: String) -> [Inline] {
        var result: [Inline] = []
        var text = ""
        var rest = Substring(line)
        func emit(_ inline: Inline) {
            if !text.isEmpty { result.append(.text(text)) }
            text = ""
            result.append(inline)
        }
        while let first = rest.first {
            if first == "[", let close = rest.firstIndex(of: "]"), rest[close...].hasPrefix("]("),
                let end = rest[close...].firstIndex(of: ")")
            {
                let label = String(rest[rest.index(after: rest.startIndex)..<close])
                let url = String(rest[rest.index(close, offsetBy: 2)..<end])
                if isWebURL(url), !label.isEmpty {
                    emit(.link(text: label, url: url))
                    rest = rest[rest.index(after: end)...]
                    continue
                }
            }
            if rest.hasPrefix("http://") || rest.hasPrefix("https://") {
                let url = String(rest.prefix { !$0.isWhitespace && !"<>\"'）」、。".contains($0) && !($0.unicodeScalars.first.map { $0.value > 0x7F } ?? false) })
                if isWebURL(url) {
                    emit(.link(text: url, url: url))
                    rest = rest.dropFirst(url.count)
                    continue
                }
            }
            if rest.hasPrefix("**"), let end = rest.dropFirst(2).firstRange(of: "**") {
                let inner = String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound])
                if isEmphasized(inner) {
                    emit(.strong(inner))
                    rest = rest[end.upperBound...]
                    continue
                }
            }
            if first == "*", !rest.hasPrefix("**"), let end = rest.dropFirst().firstIndex(of: "*"),
                !rest[end...].hasPrefix("**")
            {
                let inner = String(rest[rest.index(after: rest.startIndex)..<end])
                if isEmphasized(inner) {
                    emit(.emphasis(inner))
                    rest = rest[rest.index(after: end)...]
                    continue
                }
            }
            text.append(first)
            rest = rest.dropFirst()
        }
        if !text.isEmpty { result.append(.text(text)) }
        return result
    }

    /// Text between emphasis markers: not empty, and not starting or ending with white space
    /// (so `5*3=15 と *` stays arithmetic).
    static func isEmphasized(_ inner: String) -> Bool {
        guard let first = inner.first, let last = inner.last else { return false }
        return !first.isWhitespace && !last.isWhitespace && !inner.contains("*")
    }

    /// http or https with a host, and nothing that could break out of an attribute.
    public static func isWebURL(_ url: String) -> Bool {
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return false }
        let afterScheme = url.drop { $0 != ":" }.dropFirst(3)
        guard let host = afterScheme.split(separator: "/").first, !host.isEmpty else { return false }
        return url.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && !"\"'<>`\\".unicodeScalars.contains($0) }
    }
}
