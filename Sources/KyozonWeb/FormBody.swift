import Foundation

/// An `application/x-www-form-urlencoded` body: every value of each name, in order (checkboxes
/// send one name several times).
struct FormBody: Sendable {
    let values: [String: [String]]
    /// The body as sent, for the one-click check (RFC 8058 says the body is exactly this pair).
    let raw: String

    init(_ text: String) {
        raw = text
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

    /// RFC 8058: the body of a one-click unsubscribe is exactly `List-Unsubscribe=One-Click`.
    var isOneClick: Bool { self["List-Unsubscribe"] == "One-Click" }
}
