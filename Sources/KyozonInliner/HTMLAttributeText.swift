/// Converts between attribute text as written in HTML and the CSS it holds.
enum HTMLAttributeText {
    /// Escapes `&` and `"` for a double-quoted attribute, leaving Mustache tags
    /// alone (`{{&name}}` must keep its `&`). Single quotes, as in
    /// `'Hiragino Sans'`, are valid inside double quotes and stay as they are.
    static func escape(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if let end = Mustache.tagEnd(in: bytes, at: i, end: bytes.count) {
                output.append(contentsOf: bytes[i..<end])
                i = end
                continue
            }
            switch bytes[i] {
            case ASCII.ampersand: output.append(contentsOf: "&amp;".utf8)
            case ASCII.doubleQuote: output.append(contentsOf: "&quot;".utf8)
            default: output.append(bytes[i])
            }
            i += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static let namedReferences: [String: String] = [
        "quot": "\"", "amp": "&", "apos": "'", "lt": "<", "gt": ">", "nbsp": "\u{00A0}",
    ]

    /// Decodes numeric character references and `&quot; &amp; &apos; &lt; &gt; &nbsp;`
    /// (with their semicolon) so an existing `style` attribute can be parsed as CSS.
    /// Other text, including Mustache tags, is returned unchanged.
    static func decode(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        let bytes = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if let end = Mustache.tagEnd(in: bytes, at: i, end: bytes.count) {
                output.append(contentsOf: bytes[i..<end])
                i = end
                continue
            }
            if bytes[i] == ASCII.ampersand,
               let semicolon = bytes[i..<min(bytes.count, i + 12)].firstIndex(of: ASCII.semicolon),
               let decoded = decodeReference(Bytes.string(bytes, i + 1..<semicolon))
            {
                output.append(contentsOf: decoded.utf8)
                i = semicolon + 1
                continue
            }
            output.append(bytes[i])
            i += 1
        }
        return output
    }

    /// The text for the reference name between `&` and `;`, e.g. `quot`, `#34`, `#x22`.
    private static func decodeReference(_ name: String) -> String? {
        if let text = namedReferences[name] { return text }
        guard name.hasPrefix("#") else { return nil }
        let digits = name.dropFirst()
        let code: UInt32?
        if digits.first == "x" || digits.first == "X" {
            code = UInt32(digits.dropFirst(), radix: 16)
        } else {
            code = UInt32(digits, radix: 10)
        }
        guard let code, code != 0, let scalar = Unicode.Scalar(code) else { return nil }
        return String(Character(scalar))
    }
}
