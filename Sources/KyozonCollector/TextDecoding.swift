import Crypto
import Foundation

import KyozonJIS

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
