import Foundation

/// A character that ISO-2022-JP cannot carry, what is sent in its place, and where it occurs.
public struct JISSubstitution: Sendable, Hashable, CustomStringConvertible {
    /// The character as written. (Character equality is canonical: U+FA10 塚 equals U+585A 塚,
    /// but `original.unicodeScalars` are the ones in the text.)
    public let original: Character
    /// What is sent instead: JIS text, `〓` when nothing fits, or "" for an invisible
    /// character (zero-width space, stray variation selector) that is dropped.
    public let replacement: String
    /// How many times the character occurs.
    public let count: Int
    /// Where it first occurs, in characters (grapheme clusters) from the start of the text.
    public let firstOffset: Int
    /// The line (1-based) of its first occurrence.
    public let firstLine: Int

    public init(original: Character, replacement: String, count: Int, firstOffset: Int, firstLine: Int) {
        self.original = original
        self.replacement = replacement
        self.count = count
        self.firstOffset = firstOffset
        self.firstLine = firstLine
    }

    /// `～ (U+FF5E) → 〜 (U+301C), 2×, first on line 3`: code points, since many pairs look alike.
    public var description: String {
        func points(_ text: String) -> String {
            text.unicodeScalars.map { "U+" + String(format: "%04X", $0.value) }.joined(separator: " ")
        }
        let to = replacement.isEmpty ? "(removed)" : "\(replacement) (\(points(replacement)))"
        return "\(original) (\(points(String(original)))) → \(to), \(count)×, first on line \(firstLine)"
    }
}

/// ISO-2022-JP text (RFC 1468) for subscribers whose mail systems need it.
///
/// The repertoire is ASCII and JIS X 0208 only: glibc's iconv would also write ¥ and ‾ in
/// JIS X 0201 Roman (ESC ( J), which RFC 1468 allows but some readers show as \ and ~, so
/// those are substituted too. Whether a character is carried is decided by asking iconv.
public enum ISO2022JP {
    /// The charset name for MIME headers.
    public static let charset = "ISO-2022-JP"
    /// What stands for a character nothing else fits: GETA MARK, the traditional substitute.
    public static let geta = "\u{3013}"

    /// Replacements people expect, where NFKC gives nothing JIS carries or the wrong thing.
    /// Meant to be the one shared table (the collector's JISCheck has most of these).
    static let table: [Character: String] = [
        // Windows/Mac code points for JIS symbols: glibc maps JIS to the JIS-standard ones.
        "\u{FF5E}": "\u{301C}",  // ～ → 〜 (NFKC would give ASCII ~)
        "\u{FF0D}": "\u{2212}",  // － → − (NFKC would give ASCII -)
        "\u{2225}": "\u{2016}",  // ∥ → ‖
        "\u{FFE0}": "\u{00A2}", "\u{FFE1}": "\u{00A3}", "\u{FFE2}": "\u{00AC}",  // ￠￡￢ → ¢£¬
        "\u{2014}": "\u{2015}",  // — EM DASH → ― (JIS 0x213D is HORIZONTAL BAR in glibc)
        "\u{2013}": "-",  // – EN DASH
        // JIS X 0201 Roman in glibc; the JIS X 0208 full-width forms instead.
        "\u{00A5}": "\u{FFE5}", "\u{203E}": "\u{FFE3}",  // ¥ → ￥, ‾ → ￣
        // NEC special characters (CP932 row 13) and common symbols.
        "№": "No.", "℡": "TEL", "㈱": "(株)", "㈲": "(有)", "㈹": "(代)", "㍻": "平成", "㋿": "令和",
        "㍉": "ミリ", "㌔": "キロ", "㌢": "センチ", "㍍": "メートル", "㌘": "グラム", "㌧": "トン", "㎡": "m2",
        "Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV", "Ⅴ": "V",
        "\u{301D}": "\u{201C}", "\u{301F}": "\u{201D}",  // 〝〟 → “”
        "∑": "Σ", "\u{2022}": "・", "\u{00B7}": "・",  // bullet, middle dot
        "\u{FFE4}": "|", "\u{00A6}": "|",  // broken bar
        "½": "1/2", "¼": "1/4", "¾": "3/4", "©": "(C)", "®": "(R)", "€": "EUR", "ß": "ss",
        // IBM extension and other variant kanji, mostly in names: the usual JIS form.
        "髙": "高", "\u{FA11}": "崎", "德": "徳", "瀨": "瀬", "栁": "柳", "黑": "黒", "濵": "浜", "𠮷": "吉",
        "昻": "昂", "桒": "桑", "淸": "清", "靑": "青", "郞": "郎", "鄕": "郷", "橫": "横", "綠": "緑", "緖": "緒",
        "敎": "教", "悅": "悦", "增": "増", "寬": "寛", "賴": "頼",
    ]

    /// Each character the text holds that ISO-2022-JP cannot carry, once, in order of first
    /// occurrence, with its replacement. Empty when the text can be sent as it is.
    public static func substitutions(in text: String) -> [JISSubstitution] {
        Substituter().run(text).substitutions
    }

    /// The text in ISO-2022-JP after the substitutions. Every line (ended by LF, CRLF or CR,
    /// which are kept as they are) starts and ends in ASCII, as RFC 1468 requires, so the
    /// bytes also end in ASCII.
    public static func encode(_ text: String) -> (bytes: [UInt8], substitutions: [JISSubstitution]) {
        let substituter = Substituter()
        let (units, substitutions) = substituter.run(text)
        var bytes: [UInt8] = []
        var line = ""
        func flushLine() {
            // Each conversion starts in ASCII and ends with ESC ( B: the line rule by construction.
            bytes += substituter.converter.convert(Array(line.utf8)) ?? []
            line = ""
        }
        for unit in units {
            if unit == "\n" || unit == "\r\n" || unit == "\r" {
                flushLine()
                bytes += Array(unit.utf8)
            } else {
                line += unit
            }
        }
        flushLine()
        return (bytes, substitutions)
    }

}

/// Finds replacements with one iconv descriptor, asking iconv once per distinct character.
final class Substituter {
    let converter = IconvConverter(from: "UTF-8", to: "ISO-2022-JP")!
    /// Keyed by scalar values, not Character: canonically equal characters may differ for iconv.
    private var cache: [[UInt32]: String?] = [:]

    func run(_ text: String) -> (units: [String], substitutions: [JISSubstitution]) {
        // Most texts need nothing: one conversion of the whole decides.
        if isCarried(text) { return (text.map { String($0) }, []) }
        var units: [String] = []
        var found: [[UInt32]: (original: Character, replacement: String, count: Int, offset: Int, line: Int)] = [:]
        var order: [[UInt32]] = []
        var line = 1
        for (offset, character) in text.enumerated() {
            let key = character.unicodeScalars.map(\.value)
            let replacement: String?
            if let cached = cache[key] {
                replacement = cached
            } else {
                replacement = self.replacement(for: character)
                cache[key] = replacement
            }
            if let replacement {
                units.append(replacement)
                if found[key] == nil {
                    order.append(key)
                    found[key] = (character, replacement, 0, offset, line)
                }
                found[key]!.count += 1
            } else {
                units.append(String(character))
            }
            if character == "\n" || character == "\r\n" || character == "\r" { line += 1 }
        }
        let substitutions = order.map { key in
            let entry = found[key]!
            return JISSubstitution(
                original: entry.original, replacement: entry.replacement, count: entry.count,
                firstOffset: entry.offset, firstLine: entry.line)
        }
        return (units, substitutions)
    }

    /// nil when iconv carries the character as it is; else the first candidate it carries.
    func replacement(for character: Character) -> String? {
        let text = String(character)
        if isCarried(text) { return nil }
        if let known = ISO2022JP.table[character], isCarried(known) { return known }
        let scalars = character.unicodeScalars
        if scalars.count == 1, let value = scalars.first?.value,
            (0x2460...0x2473).contains(value) || (0x3251...0x325F).contains(value) || (0x32B1...0x32BF).contains(value)
        {
            // ① … ㊿: NFKC would drop the circle and run the number into its neighbours.
            return "(" + nfkc(text) + ")"
        }
        // NFKC: half-width katakana, compatibility kanji (U+F9DC 隆), ㍻, ㎏, full-width ASCII.
        let compatible = nfkc(text)
        if isCarried(compatible) { return compatible }
        // Without accents, variation selectors and invisible format characters: é → e, 葛+IVS → 葛.
        let stripped = String(
            String.UnicodeScalarView(
                text.decomposedStringWithCompatibilityMapping.unicodeScalars.filter { scalar in
                    let category = scalar.properties.generalCategory
                    return !(category == .nonspacingMark || category == .enclosingMark
                        || scalar.properties.isDefaultIgnorableCodePoint)
                })
        ).precomposedStringWithCanonicalMapping
        if stripped.isEmpty { return "" }
        if isCarried(stripped) { return stripped }
        return ISO2022JP.geta
    }

    /// NFKC as NFKD then NFC: swift-corelibs Foundation's precomposedStringWithCompatibilityMapping
    /// leaves ｶﾞ as カ + U+3099 instead of ガ.
    private func nfkc(_ text: String) -> String {
        text.decomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping
    }

    /// Whether iconv writes the text in ASCII and JIS X 0208 alone. ASCII controls other than
    /// tab and line ends count as not carried: a raw ESC, SO or SI would corrupt the stream.
    func isCarried(_ text: String) -> Bool {
        var allASCII = true
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                if !(0x20...0x7E).contains(scalar.value) && scalar != "\t" && scalar != "\n" && scalar != "\r" {
                    return false
                }
            } else {
                allASCII = false
            }
        }
        if allASCII { return true }
        guard let bytes = converter.convert(Array(text.utf8)) else { return false }
        var index = 0
        while let escape = bytes[index...].firstIndex(of: 0x1B) {
            guard escape + 2 < bytes.count else { return false }
            let designation = (bytes[escape + 1], bytes[escape + 2])
            // ESC ( B is ASCII, ESC $ B is JIS X 0208-1983; anything else (ESC ( J) is not ours.
            guard designation == (0x28, 0x42) || designation == (0x24, 0x42) else { return false }
            index = escape + 3
        }
        return true
    }
}
