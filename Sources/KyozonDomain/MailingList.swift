/// A list readers subscribe to, as defined in `Subscribers/lists.toml`.
public struct MailingList: Sendable, Hashable {
    /// Short ASCII identifier used on the command line and in List-Id: `kyoei`.
    public let id: String
    /// Japanese name shown to readers.
    public let name: String
    public let description: String
    /// Shown on the subscribe page; a private list is filled by staff only.
    public let isPublic: Bool
    /// Who may subscribe through the form: mail domains such as `metro.tokyo.lg.jp`,
    /// `*.lg.jp` (any subdomain) or `pref.*.jp` (one label); empty: anyone.
    public let allowedDomains: [String]

    public init(id: String, name: String, description: String, isPublic: Bool = true, allowedDomains: [String] = []) {
        self.id = id
        self.name = name
        self.description = description
        self.isPublic = isPublic
        self.allowedDomains = allowedDomains
    }

    /// Whether the list's allow-list admits an address (always, when the list has none).
    public func admits(_ address: EmailAddress) -> Bool {
        allowedDomains.isEmpty || allowedDomains.contains { Self.domain(address.domain, matches: $0) }
    }

    /// `*` first stands for one or more labels, anywhere else for exactly one.
    static func domain(_ domain: String, matches pattern: String) -> Bool {
        let labels = domain.lowercased().split(separator: ".")
        var parts = pattern.lowercased().split(separator: ".")
        if parts.first == "*" {
            parts.removeFirst()
            guard labels.count > parts.count else { return false }
            return zip(labels.suffix(parts.count), parts).allSatisfy { $1 == "*" || $0 == $1 }
        }
        return labels.count == parts.count && zip(labels, parts).allSatisfy { $1 == "*" || $0 == $1 }
    }

    /// Whether a text may serve as an allow-list pattern: labels of letters, digits and `-`, or `*`.
    public static func isValidPattern(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 2 && parts.allSatisfy { part in
            part == "*" || (!part.isEmpty && part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        }
    }

    /// Whether a text may serve as a list id: lower-case ASCII letters, digits and `-`, 1–40 long,
    /// starting with a letter (it becomes part of a List-Id header).
    public static func isValidID(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first), text.utf8.count <= 40 else {
            return false
        }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
