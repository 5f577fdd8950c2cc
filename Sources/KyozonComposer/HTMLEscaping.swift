import Mustache

/// HTML escaping one Unicode scalar at a time.
///
/// swift-mustache 2.1.1 escapes by comparing `Character`s (grapheme clusters), so `"`
/// followed by a combining mark (U+0301) is one cluster, matches nothing, and passes
/// unescaped: it can end an attribute. Working on scalars closes that hole.
public enum HTMLEscaping {
    public static func escape(_ text: String) -> String {
        // Most values need nothing: say so from the bytes (every special is ASCII, and UTF-8
        // never hides an ASCII byte inside another character).
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}

/// The Mustache content type that every HTML template of kyozon is rendered with.
struct ScalarHTMLContentType: MustacheContentType {
    static let name = "KYOZON_HTML"

    func escapeText(_ text: String) -> String { HTMLEscaping.escape(text) }
}
