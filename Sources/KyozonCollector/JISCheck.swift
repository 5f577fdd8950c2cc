import KyozonJIS

/// Finds characters that ISO-2022-JP (JIS X 0208) cannot carry, as old mail systems need,
/// and says what an ISO-2022-JP copy of the issue will show instead. The characters are
/// kept; this only warns. The table and the rules are KyozonJIS's, shared with the composer.
enum JISCheck {
    /// Each character JIS cannot carry, once, with its replacement.
    static func unsupported(in text: String) -> [(Character, String)] {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return [] }
        return ISO2022JP.substitutions(in: text).map { ($0.original, $0.replacement) }
    }
}
