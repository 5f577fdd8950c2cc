import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Turning submitted bytes into text: UTF-8 (with or without BOM), or CP932 as Excel writes it.
enum TextDecoding {
    /// UTF-8, BOM dropped; invalid bytes are reported with their offset.
    static func utf8(_ data: Data) -> Result<String, SourceFailure> {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(data: bytes, encoding: .utf8) { return .success(text) }
        let offset = firstInvalidUTF8Offset(data)
        return .failure(
            SourceFailure(
                problem: FieldProblem(field: "(file)", message: "is not valid UTF-8 (first bad byte at offset \(offset)); save the file as UTF-8"),
                raw: String(decoding: data, as: UTF8.self)))
    }

    /// UTF-8 when the bytes are valid UTF-8, else CP932 (Shift_JIS with Microsoft's extensions)
    /// through glibc's iconv, which maps ～ and － the way Windows does.
    static func utf8OrCP932(_ data: Data) -> (text: String, encoding: String)? {
        if data.starts(with: [0xEF, 0xBB, 0xBF]), let text = String(data: data.dropFirst(3), encoding: .utf8) {
            return (text, "UTF-8 with BOM")
        }
        if let text = String(data: data, encoding: .utf8) { return (text, "UTF-8") }
        if let text = iconv(data, from: "CP932") { return (text, "CP932") }
        return nil
    }

    /// Converts bytes to UTF-8 text with glibc's iconv; nil when any byte is invalid.
    static func iconv(_ data: Data, from encoding: String) -> String? {
        convert([UInt8](data), from: encoding, to: "UTF-8").map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether glibc's iconv can write a text in an encoding (ISO-2022-JP for old mail systems).
    static func canEncode(_ text: String, as encoding: String) -> Bool {
        convert(Array(text.utf8), from: "UTF-8", to: encoding) != nil
    }

    /// Runs glibc's iconv over all of `input`; nil when the encoding is unknown or any
    /// character cannot be converted.
    private static func convert(_ input: [UInt8], from source: String, to target: String) -> [UInt8]? {
        let cd = iconv_open(target, source)
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = input
        // ISO-2022-JP can take 8 bytes for one character with its escape sequences.
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        let written: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outLeft = outBuffer.count
                let result = Glibc.iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft)
                guard result != -1, inLeft == 0 else { return nil }
                // Flush any final shift sequence (ISO-2022-JP returns to ASCII).
                guard Glibc.iconv(cd, nil, nil, &outPointer, &outLeft) != -1 else { return nil }
                return outBuffer.count - outLeft
            }
        }
        return written.map { Array(output[..<$0]) }
    }

    static func firstInvalidUTF8Offset(_ data: Data) -> Int {
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var position = 0
        while case .scalarValue(let scalar) = decoder.decode(&iterator) {
            position += UTF8.width(scalar)
        }
        return position
    }
}

func sha256(_ text: String) -> String { sha256Hex(Data(text.utf8)) }

/// Lower-case hex SHA-256 of bytes.
public func sha256Hex(_ data: Data) -> String {
    SHA256.hash(data: data).map { byte in
        let hex = String(byte, radix: 16)
        return byte < 16 ? "0" + hex : hex
    }.joined()
}
