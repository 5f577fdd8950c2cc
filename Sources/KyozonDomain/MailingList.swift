/// A list readers subscribe to, as defined in `Subscribers/lists.toml`.
public struct MailingList: Sendable, Hashable {
    /// Short ASCII identifier used on the command line and in List-Id: `kyoei`.
    public let id: String
    /// Japanese name shown to readers.
    public let name: String
    public let description: String

    public init(id: String, name: String, description: String) {
        self.id = id
        self.name = name
        self.description = description
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
