import Foundation
import XCTest

@testable import KyozonJIS

/// Debian's Python: an independent decoder (quopri, email.header, the iso2022_jp codec).
enum Python {
    static let executable = "/usr/bin/python3"

    /// Runs `script` with the path of a file holding `input` as sys.argv[1]; returns stdout.
    static func run(_ script: String, input: Data) throws -> Data {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kyozon-jis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputURL = directory.appendingPathComponent("input")
        let errorURL = directory.appendingPathComponent("stderr")
        try input.write(to: inputURL)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-c", script, inputURL.path]
        let out = Pipe()
        process.standardOutput = out
        // A file, not a pipe, for stderr: nothing can block while stdout is read to its end.
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
            throw PythonError(message: message)
        }
        return data
    }

    struct PythonError: Error, CustomStringConvertible {
        let message: String
        var description: String { "python3 failed: \(message)" }
    }
}

/// ISO-2022-JP bytes back to text through glibc's iconv, as a reader would decode them.
func decodeJIS(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> String? {
    guard let utf8 = IconvConverter.convert(bytes, from: "ISO-2022-JP", to: "UTF-8") else { return nil }
    return String(decoding: utf8, as: UTF8.self)
}

/// Compares code points, not Characters: Swift's == would call U+F9DC 隆 equal to U+9686 隆.
func XCTAssertSameScalars(
    _ actual: String?, _ expected: String, _ message: String = "", file: StaticString = #filePath, line: UInt = #line
) {
    func points(_ text: String) -> String { text.unicodeScalars.map { String(format: "U+%04X", $0.value) }.joined(separator: " ") }
    guard let actual else { return XCTFail("nil, expected \(expected) \(message)", file: file, line: line) }
    XCTAssert(
        actual.unicodeScalars.elementsEqual(expected.unicodeScalars),
        "\(actual) [\(points(actual))] != \(expected) [\(points(expected))] \(message)", file: file, line: line)
}

/// The shift state at each line end: `.ascii` unless something is left in JIS X 0208 (or another set).
enum Mode: Equatable { case ascii, other([UInt8]) }

/// For each line of ISO-2022-JP bytes (split at LF), the mode it starts in and ends in.
func lineModes(_ bytes: [UInt8]) -> [(start: Mode, end: Mode)] {
    var result: [(Mode, Mode)] = []
    var mode = Mode.ascii
    var lineStart = Mode.ascii
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        if byte == 0x1B, index + 2 < bytes.count {
            let designation = Array(bytes[(index + 1)...(index + 2)])
            mode = designation == [0x28, 0x42] ? .ascii : .other(designation)
            index += 3
            continue
        }
        // The mode at the CR of a CRLF counts: a return to ASCII between CR and LF is too late.
        if byte == 0x0A || (byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A) {
            result.append((lineStart, mode))
            lineStart = mode
            index += byte == 0x0D ? 2 : 1
            continue
        }
        index += 1
    }
    result.append((lineStart, mode))
    return result
}

/// A plain quoted-printable decoder (RFC 2045 §6.7), to check the encoder without Python.
func decodeQuotedPrintable(_ encoded: [UInt8]) -> [UInt8]? {
    var out: [UInt8] = []
    var index = 0
    func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        default: return nil
        }
    }
    while index < encoded.count {
        let byte = encoded[index]
        guard byte == 0x3D else {
            out.append(byte)
            index += 1
            continue
        }
        guard index + 2 < encoded.count else { return nil }  // "=" must be followed by two bytes
        if encoded[index + 1] == 0x0D, encoded[index + 2] == 0x0A {
            index += 3  // soft break
            continue
        }
        guard let high = hex(encoded[index + 1]), let low = hex(encoded[index + 2]) else { return nil }
        out.append(high << 4 | low)
        index += 3
    }
    return out
}

/// LF alone becomes CRLF: what a quoted-printable round trip gives back.
func withCRLF(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    for (index, byte) in bytes.enumerated() {
        if byte == 0x0A && (index == 0 || bytes[index - 1] != 0x0D) { out.append(0x0D) }
        out.append(byte)
    }
    return out
}

/// Encoded lines, split at CRLF.
func physicalLines(_ bytes: [UInt8]) -> [[UInt8]] {
    var lines: [[UInt8]] = []
    var current: [UInt8] = []
    var index = 0
    while index < bytes.count {
        if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
            lines.append(current)
            current = []
            index += 2
        } else {
            current.append(bytes[index])
            index += 1
        }
    }
    lines.append(current)
    return lines
}
