import Foundation
import KyozonDomain

/// Normalises submitted text: NFC, line ends as LF, control characters and
/// bidirectional overrides removed. Every change it makes is reported.
enum TextCleaner {
    struct Cleaned {
        let text: String
        let notes: [String]
    }

    /// Bidirectional embedding, override and isolate controls: they can disguise text (Trojan Source).
    static let bidiControls: Set<UInt32> = [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C]

    static func clean(_ input: String) -> Cleaned {
        var notes: [String] = []
        // Most submitted text needs nothing: check before rebuilding it scalar by scalar.
        if input.unicodeScalars.allSatisfy(isPlain) {
            return Cleaned(text: trimmed(input), notes: [])
        }
        var text: String
        var controls = 0
        var bidi = 0
        var tabs = 0
        var invisible = 0
        var privateUse = 0
        var scalars = String.UnicodeScalarView()
        var afterCR = false
        for s in input.unicodeScalars {
            // CR LF and lone CR become LF.
            if s == "\r" {
                scalars.append("\n")
                afterCR = true
                continue
            }
            defer { afterCR = false }
            if s == "\n" && afterCR { continue }
            // No control, format or private-use character lies in U+3000–U+DFFF (kana, CJK,
            // Hangul): the common case skips the category lookup.
            if (0x3000..<0xE000).contains(s.value) || ((0x20..<0x7F).contains(s.value)) {
                scalars.append(s)
            } else if bidiControls.contains(s.value) {
                bidi += 1
            } else if s == "\t" {
                tabs += 1
                scalars.append(" ")
            } else if s == "\n" {
                scalars.append(s)
            } else if s.properties.generalCategory == .control {
                controls += 1
            } else if s.properties.generalCategory == .format && s != "\u{200D}" {
                // Zero-width spaces, soft hyphens, stray BOMs: invisible, and they break search.
                // The zero-width joiner stays: emoji sequences need it.
                invisible += 1
            } else if s.properties.generalCategory == .privateUse {
                // Private-use characters show as nothing or as a box outside the sender's own PC.
                privateUse += 1
            } else {
                scalars.append(s)
            }
        }
        text = String(scalars)
        if controls > 0 { notes.append("\(controls) control character(s) removed") }
        if bidi > 0 { notes.append("\(bidi) bidirectional control character(s) removed") }
        if tabs > 0 { notes.append("\(tabs) tab(s) replaced by spaces") }
        if invisible > 0 { notes.append("\(invisible) invisible character(s) (zero-width space, soft hyphen, …) removed") }
        if privateUse > 0 { notes.append("\(privateUse) private-use character(s) removed (they show as boxes elsewhere)") }
        let nfc = text.unicodeScalars.allSatisfy(isSurelyNFC) ? text : text.precomposedStringWithCanonicalMapping
        // Swift's == compares canonically, so compare scalars to tell whether anything changed.
        if !nfc.unicodeScalars.elementsEqual(text.unicodeScalars) {
            notes.append("normalised to Unicode NFC")
        }
        text = nfc
        let (fullWidth, converted) = widenHalfWidthKatakana(text)
        if converted > 0 {
            notes.append("\(converted) half-width katakana character(s) converted to full-width")
            text = fullWidth
        }
        return Cleaned(text: trimmed(text), notes: notes)
    }
}

extension Substring {
    func trimmingWhitespaceAtEnd() -> Substring {
        var s = self
        while let last = s.last, last.isWhitespace, !last.isNewline { s.removeLast() }
        return s
    }
}

extension TextCleaner {
    /// Trailing spaces on lines and blank lines at either end carry nothing.
    static func trimmed(_ text: String) -> String {
        // Nothing to trim unless the text starts or ends with white space, or some line does.
        var previousIsSpace = false
        var needsTrim = text.first?.isWhitespace == true || text.last?.isWhitespace == true
        for scalar in text.unicodeScalars where !needsTrim {
            if scalar == "\n" && previousIsSpace { needsTrim = true }
            previousIsSpace = scalar != "\n" && scalar.properties.isWhitespace
        }
        guard needsTrim else { return text }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingWhitespaceAtEnd() }
        return lines.joined(separator: "\n").trimmingWhitespace()
    }

    /// A scalar the cleaner leaves as it is and that needs no normalisation: printable ASCII,
    /// LF, or kana, CJK and full-width forms (no control, format or private-use character lies
    /// in U+3000–U+DFFF).
    static func isPlain(_ s: Unicode.Scalar) -> Bool {
        (0x20..<0x7F).contains(s.value) || s == "\n" || (isSurelyNFC(s) && s.value >= 0x3000 && !isHalfWidthKatakana(s))
    }

    /// Scalars that are NFC on their own with combining class 0, and that nothing composes
    /// with from before (checked against Python's Unicode database): text made only of them
    /// is already NFC. U+3099/309A (voiced marks) and U+302A–302F (tone marks) are left out.
    static func isSurelyNFC(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v < 0x300 || (0x3000..<0x302A).contains(v) || (0x3030..<0x3099).contains(v)
            || (0x309B..<0xA000).contains(v) || (0xFF00..<0xFFF0).contains(v)
    }

    /// Half-width katakana (U+FF61–U+FF9F) to full-width, voiced marks joined (ｶﾞ → ガ).
    /// NFKC maps exactly these; applying it only to them leaves every other character alone.
    static func widenHalfWidthKatakana(_ text: String) -> (String, Int) {
        guard text.unicodeScalars.contains(where: isHalfWidthKatakana) else { return (text, 0) }
        var out = ""
        var run = ""
        var count = 0
        func flush() {
            guard !run.isEmpty else { return }
            out += run.precomposedStringWithCompatibilityMapping
            run = ""
        }
        for scalar in text.unicodeScalars {
            if isHalfWidthKatakana(scalar) {
                run.unicodeScalars.append(scalar)
                count += 1
            } else {
                flush()
                out.unicodeScalars.append(scalar)
            }
        }
        flush()
        return (out.precomposedStringWithCanonicalMapping, count)
    }

    static func isHalfWidthKatakana(_ scalar: Unicode.Scalar) -> Bool {
        (0xFF61...0xFF9F).contains(scalar.value)
    }
}
