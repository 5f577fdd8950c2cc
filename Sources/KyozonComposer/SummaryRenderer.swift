import KyozonDomain

/// Renders a summary's Markdown subset as HTML (every text run escaped, only the subset's
/// own tags emitted) and as plain text (markers dropped, each URL on its own line).
enum SummaryRenderer {
    static func html(_ blocks: [SummaryMarkup.Block], paragraphStyle: String = "margin:6px 0;") -> String {
        blocks.map { block in
            switch block {
            case .paragraph(let lines):
                "<p style=\"\(paragraphStyle)\">" + lines.map(html).joined(separator: "<br>") + "</p>"
            case .bulletList(let items):
                "<ul style=\"margin:6px 0;padding-left:1.5em;\">" + items.map { "<li>" + html($0) + "</li>" }.joined() + "</ul>"
            case .numberedList(let items):
                "<ol style=\"margin:6px 0;padding-left:1.5em;\">" + items.map { "<li>" + html($0) + "</li>" }.joined() + "</ol>"
            }
        }.joined(separator: "\n")
    }

    static func html(_ inlines: [SummaryMarkup.Inline]) -> String {
        inlines.map { inline in
            switch inline {
            case .text(let text): HTMLEscaping.escape(text)
            case .emphasis(let text): "<em>" + HTMLEscaping.escape(text) + "</em>"
            case .strong(let text): "<strong>" + HTMLEscaping.escape(text) + "</strong>"
            case .link(let text, let url):
                // Spaces around the link: a link whose tags touch Japanese text on both sides
                // trips SpamAssassin's HTML_OBFUSCATE rules.
                " <a href=\"" + HTMLEscaping.escape(url) + "\" style=\"color:#1a4f8b;\">" + HTMLEscaping.escape(text) + "</a> "
            }
        }.joined()
    }

    static func text(_ blocks: [SummaryMarkup.Block]) -> String {
        blocks.map { block in
            switch block {
            case .paragraph(let lines): lines.map(text).joined(separator: "\n")
            case .bulletList(let items): items.map { "・" + text($0) }.joined(separator: "\n")
            case .numberedList(let items): items.enumerated().map { "\($0 + 1). " + text($1) }.joined(separator: "\n")
            }
        }.joined(separator: "\n\n")
    }

    static func text(_ inlines: [SummaryMarkup.Inline]) -> String {
        inlines.map { inline in
            switch inline {
            case .text(let text), .emphasis(let text), .strong(let text): text
            case .link(let text, let url) where text == url: "\n" + url + "\n"
            case .link(let text, let url): text + "\n" + url + "\n"
            }
        }.joined().split(separator: "\n", omittingEmptySubsequences: true).joined(separator: "\n")
    }
}
