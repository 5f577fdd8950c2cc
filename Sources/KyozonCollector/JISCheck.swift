import Foundation

/// Finds characters that ISO-2022-JP (JIS X 0208) cannot carry, as old mail systems need,
/// and suggests what to write instead. The characters are kept; this only warns.
enum JISCheck {
    /// Replacements people expect, where NFKC would be wrong or unhelpful.
    static let suggestions: [Character: String] = [
        "髙": "高", "﨑": "崎", "德": "徳", "瀨": "瀬", "栁": "柳", "黑": "黒", "塚": "塚", "濵": "浜", "邊": "辺",
        "～": "〜", "－": "−", "∥": "‖", "￠": "¢", "￡": "£", "￢": "¬", "№": "No.", "℡": "TEL", "㈱": "(株)",
        "㈲": "(有)", "㈹": "(代)", "㍻": "平成", "㋿": "令和", "㍉": "ミリ", "㌔": "キロ", "㌢": "センチ", "㍍": "メートル",
        "㌘": "グラム", "㌧": "トン", "㎡": "m2", "Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV", "Ⅴ": "V",
    ]

    /// Each character JIS cannot carry, once, with a suggested replacement.
    static func unsupported(in text: String) -> [(Character, String)] {
        if text.allSatisfy(\.isASCII) || TextDecoding.canEncode(text, as: "ISO-2022-JP") { return [] }
        var seen: Set<Character> = []
        var result: [(Character, String)] = []
        for character in text where !character.isASCII && !seen.contains(character) {
            seen.insert(character)
            if TextDecoding.canEncode(String(character), as: "ISO-2022-JP") { continue }
            result.append((character, suggestion(for: character)))
        }
        return result
    }

    static func suggestion(for character: Character) -> String {
        if let known = suggestions[character] { return known }
        if let value = character.unicodeScalars.first?.value, (0x2460...0x2473).contains(value) {
            return "(\(value - 0x2460 + 1))"  // ① … ⑳
        }
        let compatible = String(character).precomposedStringWithCompatibilityMapping
        if compatible != String(character), TextDecoding.canEncode(compatible, as: "ISO-2022-JP") { return compatible }
        return "〓"
    }
}
