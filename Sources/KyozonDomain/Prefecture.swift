/// One of Japan's 47 prefectures, identified by its JIS X 0401 code.
public struct Prefecture: Sendable, Hashable, Comparable {
    /// JIS X 0401 code, 1 (北海道) … 47 (沖縄県).
    public let code: Int
    /// Full name with its suffix: 北海道, 東京都, 大阪府, 青森県.
    public let name: String
    /// Name without 都/府/県 (北海道 keeps its name).
    public let shortName: String
    /// Hepburn romanisation, lower case: `hokkaido`, `tokyo`.
    public let romaji: String
    public let region: Region

    /// The two-digit code as written in data: `"01"` … `"47"`.
    public var jisCode: String { code < 10 ? "0\(code)" : "\(code)" }

    public static func < (lhs: Prefecture, rhs: Prefecture) -> Bool { lhs.code < rhs.code }

    /// The prefecture with a JIS code, if it is one of the 47.
    public init?(code: Int) {
        guard (1...47).contains(code) else { return nil }
        self = Prefecture.all[code - 1]
    }

    init(_ code: Int, _ name: String, _ romaji: String, _ region: Region) {
        self.code = code
        self.name = name
        self.romaji = romaji
        self.region = region
        if name == "北海道" {
            self.shortName = name
        } else {
            self.shortName = String(name.dropLast())
        }
    }

    /// Finds a prefecture by full name (`大阪府`), name without suffix (`大阪`),
    /// JIS code (`"27"`, `"7"`) or romaji in any case (`Osaka`, `osaka-fu`).
    public static func lookup(_ text: String) -> Prefecture? {
        let key = text.trimmingWhitespace()
        guard !key.isEmpty else { return nil }
        if key.allSatisfy(\.isASCIIDigit), key.count <= 2, let code = Int(key) {
            return Prefecture(code: code)
        }
        if let found = all.first(where: { $0.name == key || $0.shortName == key }) {
            return found
        }
        var latin = key.lowercased()
        for suffix in ["-ken", "-fu", "-to", " ken", " prefecture", " pref.", " pref", "-prefecture"] where latin.hasSuffix(suffix) {
            latin.removeLast(suffix.count)
        }
        // Long vowels may be written with macrons (Ōita, Kyūshū) or doubled (Oosaka is rare; not accepted).
        latin = String(latin.map { $0 == "ō" ? "o" : $0 == "ū" ? "u" : $0 })
        return all.first { $0.romaji == latin }
    }

    /// What a submitter may write, for error messages.
    public static let acceptedForms = "a prefecture name such as 東京都, 大阪府 or 北海道 (with or without 都/府/県), a JIS code \"01\"…\"47\", or romaji such as tokyo"
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    /// Trims ASCII and ideographic (U+3000) white space at both ends.
    public func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
