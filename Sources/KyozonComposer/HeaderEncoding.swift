import Foundation
import KyozonDomain
import KyozonJIS

/// Header values for Internet mail: RFC 2047 encoded words, folding, dates.
public enum HeaderEncoding {
    /// The longest encoded word RFC 2047 allows.
    public static let maxEncodedWordLength = 75
    /// `=?UTF-8?B?` + `?=`.
    static let wordOverhead = 12
    /// Header lines are kept within this many characters (RFC 5322 recommends 78).
    public static let maxLineLength = 76

    /// Removes CR, LF and other control characters: no input can start a new header line.
    public static func singleLine(_ text: String) -> String {
        // Fast path from the bytes: C0 controls and DEL are single bytes; C1 controls
        // (U+0080…U+009F) are 0xC2 0x80…0x9F in UTF-8.
        var clean = true
        var afterC2 = false
        for byte in text.utf8 {
            if byte < 0x20 || byte == 0x7F || (afterC2 && byte < 0xA0) {
                clean = false
                break
            }
            afterC2 = byte == 0xC2
        }
        if clean { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    }

    /// The value of an unstructured header (Subject): ASCII as it is, anything else as
    /// UTF-8 base64 encoded words of at most 75 characters, each holding whole characters,
    /// folded so no line exceeds 76 characters. `nameLength` is the header name's length.
    public static func unstructured(_ text: String, nameLength: Int, charset: MailCharset = .utf8) -> String {
        let clean = singleLine(text)
        if clean.unicodeScalars.allSatisfy({ $0.isASCII }) {
            return fold(words: clean.split(separator: " ").map(String.init), nameLength: nameLength)
        }
        return fold(words: words(clean, firstRoom: maxLineLength - nameLength - 2, charset: charset), nameLength: nameLength)
    }

    /// Encoded words in the reader's character set (ISO-2022-JP words replace what JIS
    /// cannot carry, as the body does).
    static func words(_ text: String, firstRoom: Int, charset: MailCharset) -> [String] {
        charset == .iso2022jp ? EncodedWord.iso2022jp(text, firstRoom: firstRoom) : encodedWords(text, firstRoom: firstRoom)
    }

    /// A display name for From/To: plain if it is simple ASCII, quoted if it has specials,
    /// encoded words otherwise.
    public static func phrase(_ text: String, nameLength: Int, charset: MailCharset = .utf8) -> String {
        let clean = singleLine(text).trimmingCharacters(in: .whitespaces)
        if clean.unicodeScalars.allSatisfy({ $0.isASCII }) {
            let atoms = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "!#$%&'*+-/=?^_`{|}~ "))
            if clean.unicodeScalars.allSatisfy({ atoms.contains($0) }) { return clean }
            return "\"" + clean.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return words(clean, firstRoom: maxLineLength - nameLength - 2, charset: charset).joined(separator: "\r\n ")
    }

    /// `"Name" <address>` with the name encoded as needed; the bare address when the name is empty.
    public static func mailbox(name: String, address: EmailAddress, nameLength: Int, charset: MailCharset = .utf8) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return "<\(address.value)>" }
        let encoded = phrase(trimmed, nameLength: nameLength, charset: charset)
        let lines = encoded.components(separatedBy: "\r\n ")
        // The first line also holds "Name: "; later lines start with one space.
        let used = lines.count == 1 ? nameLength + 2 + encoded.count : 1 + (lines.last ?? "").count
        let separator = used + address.value.count + 3 > maxLineLength ? "\r\n " : " "
        return encoded + separator + "<\(address.value)>"
    }

    /// Splits text into `=?UTF-8?B?…?=` words, each at most 75 characters and holding whole
    /// characters (a grapheme cluster is only split, at scalar boundaries, if it alone is too long).
    /// The first word fits in `firstRoom` characters when it can.
    public static func encodedWords(_ text: String, firstRoom: Int = maxEncodedWordLength) -> [String] {
        let fullBudget = (maxEncodedWordLength - wordOverhead) / 4 * 3  // 45 bytes
        let firstBudget = max(3, min(fullBudget, (firstRoom - wordOverhead) / 4 * 3))
        var words: [String] = []
        var chunk: [UInt8] = []
        func budget() -> Int { words.isEmpty ? firstBudget : fullBudget }
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
            chunk.removeAll(keepingCapacity: true)
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count <= budget() {
                chunk += bytes
                continue
            }
            // Prefer to end a word just after a space: some decoders (CPython 3.11's address
            // parser) wrongly keep the fold between words, and there it falls where a space was.
            if let space = chunk.lastIndex(of: 0x20), space >= chunk.count / 2, space < chunk.count - 1 {
                let carry = Array(chunk[(space + 1)...])
                chunk.removeSubrange((space + 1)...)
                flush()
                chunk = carry
                if chunk.count + bytes.count <= budget() {
                    chunk += bytes
                    continue
                }
            }
            flush()
            if bytes.count <= budget() {
                chunk = bytes
                continue
            }
            for scalar in character.unicodeScalars {
                let scalarBytes = Array(String(scalar).utf8)
                if chunk.count + scalarBytes.count > budget() { flush() }
                chunk += scalarBytes
            }
        }
        flush()
        return words
    }

    /// Joins words with spaces, folding (CRLF + space) before a word that would pass the line limit.
    static func fold(words: [String], nameLength: Int) -> String {
        var out = ""
        var lineLength = nameLength + 2
        for (index, word) in words.enumerated() {
            if index > 0 {
                if lineLength + 1 + word.count > maxLineLength {
                    out += "\r\n "
                    lineLength = 1
                } else {
                    out += " "
                    lineLength += 1
                }
            }
            out += word
            lineLength += word.count
        }
        return out
    }

    /// RFC 5322 date in Tokyo time: `Tue, 24 Nov 2026 19:00:00 +0900`.
    public static func date(_ stamp: Timestamp) -> String {
        let day = TokyoTime.date(atEpochSeconds: stamp.epochSeconds)
        let second = Int(stamp.epochSeconds + Int64(TokyoTime.offsetSeconds) - Int64(day.daysSinceEpoch) * 86400)
        let weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][day.weekday]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][day.month - 1]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekday), \(day.day) \(month) \(day.year) \(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60)) +0900"
    }
}
