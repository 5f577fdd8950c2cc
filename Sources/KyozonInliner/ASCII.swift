// Byte-level helpers. The inliner scans UTF-8 bytes: every character that
// matters to HTML, CSS or Mustache syntax is ASCII, so multi-byte characters
// (Japanese text) are never split and pass through untouched.

/// ASCII byte constants used by the scanners.
enum ASCII {
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let formFeed: UInt8 = 0x0C
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let bang = UInt8(ascii: "!")
    static let doubleQuote = UInt8(ascii: "\"")
    static let hash = UInt8(ascii: "#")
    static let ampersand = UInt8(ascii: "&")
    static let singleQuote = UInt8(ascii: "'")
    static let openParen = UInt8(ascii: "(")
    static let closeParen = UInt8(ascii: ")")
    static let star = UInt8(ascii: "*")
    static let plus = UInt8(ascii: "+")
    static let comma = UInt8(ascii: ",")
    static let hyphen = UInt8(ascii: "-")
    static let dot = UInt8(ascii: ".")
    static let slash = UInt8(ascii: "/")
    static let colon = UInt8(ascii: ":")
    static let semicolon = UInt8(ascii: ";")
    static let lessThan = UInt8(ascii: "<")
    static let equals = UInt8(ascii: "=")
    static let greaterThan = UInt8(ascii: ">")
    static let question = UInt8(ascii: "?")
    static let at = UInt8(ascii: "@")
    static let openBracket = UInt8(ascii: "[")
    static let backslash = UInt8(ascii: "\\")
    static let closeBracket = UInt8(ascii: "]")
    static let caret = UInt8(ascii: "^")
    static let underscore = UInt8(ascii: "_")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let tilde = UInt8(ascii: "~")
}

extension UInt8 {
    /// HTML/CSS whitespace: space, tab, LF, FF, CR.
    var isWhitespace: Bool {
        self == ASCII.space || self == ASCII.tab || self == ASCII.newline
            || self == ASCII.formFeed || self == ASCII.carriageReturn
    }

    var isASCIILetter: Bool {
        (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z"))
            || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z"))
    }

    var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }

    var asciiLowercased: UInt8 {
        (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z")) ? self + 32 : self
    }

    /// First character of a CSS identifier (escapes are deliberately not supported).
    var isCSSIdentStart: Bool {
        isASCIILetter || self == ASCII.underscore || self == ASCII.hyphen || self >= 0x80
    }

    /// Any later character of a CSS identifier.
    var isCSSIdentCharacter: Bool { isCSSIdentStart || isASCIIDigit }
}

/// Helpers over byte arrays shared by the scanners.
enum Bytes {
    /// ASCII-lowercased string of `bytes[range]`.
    static func lowercasedString(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: bytes[range].map(\.asciiLowercased), as: UTF8.self)
    }

    static func string(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// `range` with leading and trailing whitespace removed.
    static func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper && bytes[lower].isWhitespace { lower += 1 }
        while upper > lower && bytes[upper - 1].isWhitespace { upper -= 1 }
        return lower..<upper
    }

    /// Whether `bytes[index...]` starts with `needle` (already lowercase), ignoring ASCII case.
    static func hasPrefixIgnoringCase(_ bytes: [UInt8], at index: Int, _ needle: String) -> Bool {
        var i = index
        for expected in needle.utf8 {
            guard i < bytes.count, bytes[i].asciiLowercased == expected else { return false }
            i += 1
        }
        return true
    }

    /// Index of the first occurrence of `needle` at or after `start`, before `end`.
    static func find(_ needle: String, in bytes: [UInt8], from start: Int, to end: Int) -> Int? {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return start }
        var i = start
        while i + pattern.count <= end {
            if bytes[i] == first {
                var k = 1
                while k < pattern.count && bytes[i + k] == pattern[k] { k += 1 }
                if k == pattern.count { return i }
            }
            i += 1
        }
        return nil
    }
}
