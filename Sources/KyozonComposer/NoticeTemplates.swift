import Foundation
import Mustache

/// The editable texts of the mails that are not issues, in `Templates/notices/`: the
/// confirmation of a subscription request and the welcome after it. Each starts with a
/// `Subject:` line and a blank line, then the plain-text body.
///
/// ```swift
/// let notices = try NoticeTemplates(directory: "Templates")
/// let mail = notices.render(.confirm, NoticeValues(lists: lists, link: url, sender: sender))
/// ```
public struct NoticeTemplates: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case confirm
        case welcome
    }

    private let library: MustacheLibrary

    /// The names a notice template may use.
    static let known: Set<String> = ["lists", "name", "description", "link", "days", "unsubscribe_url", "sender", "contact", "."]

    public init(directory: String) throws(TemplateError) {
        var library = MustacheLibrary()
        for kind in Kind.allCases {
            let path = (directory as NSString).appendingPathComponent("notices/\(kind.rawValue).txt.mustache")
            guard let data = FileManager.default.contents(atPath: path) else { throw .missingFile(path) }
            guard let source = String(data: data, encoding: .utf8) else { throw .notUTF8(path) }
            guard source.hasPrefix("Subject: "), source.contains("\n\n") else {
                throw .syntax(path, "a notice starts with a line \"Subject: …\" and a blank line before its text")
            }
            try TemplateCheck.check(source, path: path, partials: [], partialsFolder: directory, known: Self.known)
            do {
                library.register(try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + source), named: kind.rawValue)
            } catch {
                throw .syntax(path, "\(error)")
            }
        }
        self.library = library
    }

    /// The subject (one line) and the body of a notice.
    public func render(_ kind: Kind, _ values: NoticeValues) -> (subject: String, body: String) {
        let text = library.render(values.context, withTemplate: kind.rawValue) ?? ""
        let split = text.range(of: "\n\n") ?? text.endIndex..<text.endIndex
        let subject = String(text[..<split.lowerBound].dropFirst("Subject: ".count))
        return (HeaderEncoding.singleLine(subject), String(text[split.upperBound...]))
    }
}

/// What a notice says: the lists concerned and the links for the reader.
public struct NoticeValues: Sendable {
    public var lists: [(name: String, description: String)]
    /// The confirmation page (confirm) .
    public var link: String
    /// How many days the link works.
    public var days: Int
    /// The page to change lists or leave (welcome).
    public var unsubscribeURL: String
    public var sender: Sender

    public init(lists: [(name: String, description: String)], link: String = "", days: Int = 7, unsubscribeURL: String = "", sender: Sender) {
        self.lists = lists
        self.link = link
        self.days = days
        self.unsubscribeURL = unsubscribeURL
        self.sender = sender
    }

    var context: [String: Any] {
        [
            "lists": lists.map { ["name": $0.name, "description": $0.description] },
            "link": link, "days": days, "unsubscribe_url": unsubscribeURL,
            "sender": ["name": sender.name, "contact": sender.contact],
        ]
    }
}
