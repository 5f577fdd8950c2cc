import Foundation

/// Text in the encodings Japanese offices' files and mail come in: UTF-8 (with or without
/// Excel's BOM) and CP932 (Shift_JIS with Microsoft's extensions, as Excel writes "CSV"),
/// through glibc's iconv, which maps ～ and － the way Windows does.
///
/// ```swift
/// Charsets.decodeUTF8OrCP932(data)    // ("佐藤", "CP932")
/// Charsets.encodeCP932("髙橋①")        // bytes Excel opens, or nil
/// ```
public enum Charsets {
    /// UTF-8 when the bytes are valid UTF-8 (a BOM dropped), else CP932; nil when neither.
    public static func decodeUTF8OrCP932(_ data: Data) -> (text: String, encoding: String)? {
        if data.starts(with: [0xEF, 0xBB, 0xBF]), let text = String(data: data.dropFirst(3), encoding: .utf8) {
            return (text, "UTF-8 with BOM")
        }
        if let text = String(data: data, encoding: .utf8) { return (text, "UTF-8") }
        if let bytes = IconvConverter.convert(Array(data), from: "CP932", to: "UTF-8") {
            return (String(decoding: bytes, as: UTF8.self), "CP932")
        }
        return nil
    }

    /// The text in CP932; nil when a character has no CP932 form.
    public static func encodeCP932(_ text: String) -> [UInt8]? {
        IconvConverter.convert(Array(text.utf8), from: "UTF-8", to: "CP932")
    }

    /// Whether glibc's iconv can write the text in `encoding`.
    public static func canEncode(_ text: String, as encoding: String) -> Bool {
        IconvConverter.convert(Array(text.utf8), from: "UTF-8", to: encoding) != nil
    }
}
