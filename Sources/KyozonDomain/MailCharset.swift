/// The character set a reader's copy of the issue is sent in: UTF-8, or ISO-2022-JP for
/// readers whose older mail systems show UTF-8 Japanese as garbage.
public enum MailCharset: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case iso2022jp = "iso-2022-jp"

    /// Reads `utf-8`, `utf8`, `iso-2022-jp` or `jis` (any case); nil otherwise.
    public init?(text: String) {
        switch text.trimmingWhitespace().lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "iso-2022-jp", "jis": self = .iso2022jp
        default: return nil
        }
    }

    public static let acceptedForms = "utf-8 (the default) or iso-2022-jp (also written jis)"
}
