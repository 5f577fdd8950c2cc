import Foundation

/// RFC 2047 encoded words for header values (Subject, display names).
public enum EncodedWord {
    /// The longest encoded word RFC 2047 allows.
    public static let maxLength = 75
    /// `=?ISO-2022-JP?B?` + `?=`.
    static let iso2022jpOverhead = 18

    /// Splits text into `=?ISO-2022-JP?B?…?=` words, each at most 75 characters. Characters
    /// JIS cannot carry are substituted first (see `ISO2022JP.substitutions(in:)`). Each word
    /// is a complete ISO-2022-JP text (starts in ASCII, ends with ESC ( B), so it decodes on
    /// its own, and holds whole characters: a character's replacement (㈱ → (株)) is never
    /// split unless it alone is too long for a word. The first word fits in `firstRoom`
    /// characters when it can. The same shape as `HeaderEncoding.encodedWords` (UTF-8).
    public static func iso2022jp(_ text: String, firstRoom: Int = maxLength) -> [String] {
        let substituter = Substituter()
        let units = substituter.run(text).units.filter { !$0.isEmpty }
        func bytes(_ chunk: [String]) -> [UInt8] {
            // One conversion per word: starts in ASCII, and iconv's reset ends it with ESC ( B.
            substituter.converter.convert(Array(chunk.joined().utf8)) ?? []
        }
        let fullBudget = (maxLength - iso2022jpOverhead) / 4 * 3  // 42 bytes
        // 8 bytes hold any one character (ESC $ B, two bytes, ESC ( B), so the first word is never empty.
        let firstBudget = max(8, min(fullBudget, (firstRoom - iso2022jpOverhead) / 4 * 3))
        var words: [String] = []
        var chunk: [String] = []
        func budget() -> Int { words.isEmpty ? firstBudget : fullBudget }
        func fits(_ candidate: [String]) -> Bool { bytes(candidate).count <= budget() }
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append("=?ISO-2022-JP?B?" + Data(bytes(chunk)).base64EncodedString() + "?=")
            chunk.removeAll(keepingCapacity: true)
        }
        for unit in units {
            if fits(chunk + [unit]) {
                chunk.append(unit)
                continue
            }
            // Prefer to end a word just after a space, as HeaderEncoding.encodedWords does: some
            // decoders wrongly keep the fold between words, and there it falls where a space was.
            if let space = chunk.lastIndex(of: " "), space >= chunk.count / 2, space < chunk.count - 1 {
                let carry = Array(chunk[(space + 1)...])
                chunk.removeSubrange((space + 1)...)
                flush()
                chunk = carry
                if fits(chunk + [unit]) {
                    chunk.append(unit)
                    continue
                }
            }
            flush()
            if fits([unit]) {
                chunk = [unit]
                continue
            }
            // A replacement too long for one word: split between its characters.
            for character in unit {
                if !fits(chunk + [String(character)]) { flush() }
                chunk.append(String(character))
            }
        }
        flush()
        return words
    }
}
