import Foundation

/// A form's fields: every value of each name, in order (checkboxes send one name several
/// times). Read from `application/x-www-form-urlencoded`, as browsers post forms, or from
/// `multipart/form-data`, as RFC 8058 says mail receivers SHOULD post a one-click unsubscribe.
struct FormBody: Sendable {
    let values: [String: [String]]

    /// The body `text`, read as its `contentType` says (urlencoded when none is given).
    init(_ text: String, contentType: String? = nil) {
        if let contentType, let boundary = Self.boundary(contentType) {
            values = Self.multipart(text, boundary: boundary)
            return
        }
        var values: [String: [String]] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            values[decode(parts[0]), default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
        self.values = values
    }

    /// The first value of a field, trimmed; "" when absent.
    subscript(_ name: String) -> String { values[name]?.first?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }

    /// Every value of a field.
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// RFC 8058: a one-click unsubscribe posts `List-Unsubscribe=One-Click`.
    var isOneClick: Bool { self["List-Unsubscribe"] == "One-Click" }

    /// The boundary of a `multipart/form-data` content type, or nil for any other type.
    static func boundary(_ contentType: String) -> String? {
        let parameters = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parameters.first?.lowercased() == "multipart/form-data" else { return nil }
        for parameter in parameters.dropFirst() where parameter.lowercased().hasPrefix("boundary=") {
            let value = parameter.dropFirst("boundary=".count)
            return String(value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 ? value.dropFirst().dropLast() : value)
        }
        return nil
    }

    /// The text fields of a `multipart/form-data` body (RFC 7578): each part's
    /// `Content-Disposition` name and its content.
    static func multipart(_ text: String, boundary: String) -> [String: [String]] {
        var values: [String: [String]] = [:]
        // Unicode scalars, not Characters: "\r\n" is one Character in Swift.
        let body = String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\r" }))
        for part in body.components(separatedBy: "--" + boundary).dropFirst() {
            if part.hasPrefix("--") { break }
            guard let split = part.range(of: "\n\n") else { continue }
            let headers = part[..<split.lowerBound].lowercased()
            guard let nameRange = headers.range(of: "name=\"") else { continue }
            let original = part[..<split.lowerBound]
            let start = original.index(original.startIndex, offsetBy: headers.distance(from: headers.startIndex, to: nameRange.upperBound))
            let name = String(original[start...].prefix { $0 != "\"" })
            var value = String(part[split.upperBound...])
            if value.hasSuffix("\n") { value.removeLast() }
            values[name, default: []].append(value)
        }
        return values
    }
}
