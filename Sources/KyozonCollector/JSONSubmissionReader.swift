import Foundation
import KyozonDomain

/// Reads submission records from JSON: an array of objects, or JSON Lines (one object per line).
///
/// Each record keeps its position: for an array, the item number and the line it starts on;
/// for JSON Lines, the line.
public enum JSONSubmissionReader {
    public static func read(_ data: Data) -> Result<[RawSubmission], SourceFailure> {
        let text: String
        switch TextDecoding.utf8(data) {
        case .success(let decoded): text = decoded
        case .failure(let failure): return .failure(failure)
        }
        // The decoded text has no BOM: its first visible character tells array from JSON Lines.
        if text.first(where: { !$0.isWhitespace }) == "[" {
            return readArray(Data(text.utf8), text: text)
        }
        return readLines(text)
    }

    private static func readArray(_ data: Data, text: String) -> Result<[RawSubmission], SourceFailure> {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            return .failure(SourceFailure(problem: FieldProblem(field: "(file)", message: "is not valid JSON: \(jsonError(error))"), raw: text))
        }
        guard let array = parsed as? [Any] else {
            return .failure(SourceFailure(problem: FieldProblem(field: "(file)", message: "must hold a JSON array of items"), raw: text))
        }
        let lines = elementLines(data)
        return .success(
            array.enumerated().map { offset, element in
                record(element, position: .item(offset + 1, line: offset < lines.count ? lines[offset] : nil))
            })
    }

    private static func readLines(_ text: String) -> Result<[RawSubmission], SourceFailure> {
        var records: [RawSubmission] = []
        var number = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            number += 1
            let position = SourceLocation.Position.item(number, line: index + 1)
            do {
                let element = try JSONSerialization.jsonObject(with: Data(trimmed.utf8), options: [.fragmentsAllowed])
                records.append(record(element, position: position))
            } catch {
                if number == 1 && !trimmed.hasPrefix("{") {
                    let problem = FieldProblem(
                        field: "(file)",
                        message: "is neither a JSON array [ {...}, ... ] nor JSON Lines (one {...} per line): \(jsonError(error))")
                    return .failure(SourceFailure(problem: problem, raw: text))
                }
                records.append(
                    RawSubmission(
                        position: position, fields: ["(invalid)": "line is not valid JSON: \(jsonError(error))"],
                        raw: String(trimmed)))
            }
        }
        return .success(records)
    }

    private static func record(_ element: Any, position: SourceLocation.Position) -> RawSubmission {
        let raw = canonicalJSON(element)
        guard let object = element as? [String: Any] else {
            return RawSubmission(
                position: position, fields: ["(invalid)": "must be an object { \"title\": …, … }, not \(jsonTypeName(element))"],
                raw: raw)
        }
        return RawSubmission(position: position, fields: object, raw: raw)
    }

    /// The line on which each top-level element of a JSON array starts (JSONSerialization keeps no positions).
    static func elementLines(_ data: Data) -> [Int] {
        var lines: [Int] = []
        var line = 1
        var depth = 0
        var inString = false
        var escaped = false
        var expectingElement = false
        for byte in data {
            if byte == 0x0A { line += 1 }
            if inString {
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                continue
            }
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D:
                continue
            case 0x2C where depth == 1:  // ,
                expectingElement = true
                continue
            default:
                break
            }
            if depth == 1 && expectingElement {
                lines.append(line)
                expectingElement = false
            }
            switch byte {
            case 0x22: inString = true
            case 0x5B, 0x7B:  // [ {
                depth += 1
                if depth == 1 { expectingElement = true }
            case 0x5D, 0x7D: depth -= 1  // ] }
            default: break
            }
        }
        return lines
    }

    static func jsonError(_ error: Error) -> String {
        (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
    }
}

/// The canonical text of a JSON value (see `CanonicalJSON`).
func canonicalJSON(_ value: Any) -> String { CanonicalJSON.serialize(value) }
