import Crypto
import Foundation
import KyozonDomain

/// Reads a submission file in JSON (an array of objects) into collected submissions.
///
/// ```swift
/// let results = JSONSubmissionReader().read(data, source: "submissions.json")
/// let accepted = results.filter(\.isAccepted)
/// ```
/// Never throws: a file that is not JSON becomes one rejected submission holding the whole
/// text, so nothing submitted is lost.
public struct JSONSubmissionReader: Sendable {
    private let validator = SubmissionValidator()

    public init() {}

    public func read(_ data: Data, source: String) -> [CollectedSubmission] {
        guard let text = String(data: data, encoding: .utf8) else {
            return [wholeFile(data, source, FieldProblem(field: "(file)", message: invalidUTF8Message(data)))]
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            return [wholeFile(data, source, FieldProblem(field: "(file)", message: "is not valid JSON: \(detail)"))]
        }
        guard let array = parsed as? [Any] else {
            let problem = FieldProblem(
                field: "(file)", message: "must hold a JSON array of items, [ {...}, {...} ], not \(jsonTypeName(parsed))")
            return [wholeFile(data, source, problem, text: text)]
        }
        return array.enumerated().map { offset, element in
            collect(element, source: source, item: offset + 1)
        }
    }

    private func collect(_ element: Any, source: String, item: Int) -> CollectedSubmission {
        let raw = canonicalJSON(element)
        guard let object = element as? [String: Any] else {
            return CollectedSubmission(
                source: SourceLocation(file: source, item: item, title: nil), raw: raw, fingerprint: sha256(raw),
                submittedAt: nil,
                outcome: .rejected([FieldProblem(field: "(item)", message: "must be an object { \"title\": …, … }, not \(jsonTypeName(element))")]),
                warnings: [])
        }
        let (result, warnings) = validator.validate(object)
        switch result {
        case .success(let accepted):
            return CollectedSubmission(
                source: SourceLocation(file: source, item: item, title: accepted.title),
                raw: raw, fingerprint: sha256(raw), submittedAt: accepted.submittedAt, outcome: .accepted(accepted),
                warnings: warnings)
        case .failure(let failure):
            let title = failure.title ?? (object["title"] as? String)
            return CollectedSubmission(
                source: SourceLocation(file: source, item: item, title: title), raw: raw, fingerprint: sha256(raw),
                submittedAt: failure.submittedAt, outcome: .rejected(failure.problems), warnings: warnings)
        }
    }

    private func wholeFile(_ data: Data, _ source: String, _ problem: FieldProblem, text: String? = nil) -> CollectedSubmission {
        let raw = text ?? String(decoding: data, as: UTF8.self)
        return CollectedSubmission(
            source: SourceLocation(file: source, item: nil, title: nil), raw: raw,
            fingerprint: sha256Hex(data), submittedAt: nil, outcome: .rejected([problem]), warnings: [])
    }
}

/// Sorted keys and no escaped slashes: the same item always serialises to the same text.
func canonicalJSON(_ value: Any) -> String {
    guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
    else { return "\(value)" }
    return String(decoding: data, as: UTF8.self)
}

func sha256(_ text: String) -> String { sha256Hex(Data(text.utf8)) }

func sha256Hex(_ data: Data) -> String {
    SHA256.hash(data: data).map { byte in
        let hex = String(byte, radix: 16)
        return byte < 16 ? "0" + hex : hex
    }.joined()
}

/// Names the byte offset of the first byte that is not UTF-8, so the submitter can find it.
func invalidUTF8Message(_ data: Data) -> String {
    var offset = 0
    var iterator = data.makeIterator()
    var decoder = UTF8()
    var position = 0
    loop: while true {
        switch decoder.decode(&iterator) {
        case .scalarValue(let scalar):
            position += UTF8.width(scalar)
            offset = position
        case .emptyInput:
            break loop
        case .error:
            break loop
        }
    }
    return "is not valid UTF-8 (first bad byte at offset \(offset)); save the file as UTF-8"
}
