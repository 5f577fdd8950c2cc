import Foundation
import KyozonInliner
import Mustache

/// The editable templates of the issue, loaded from a folder (normally `Templates/`).
///
/// ```
/// Templates/issue.html.mustache   the HTML part
/// Templates/issue.txt.mustache    the plain-text part
/// Templates/partials/*.mustache   partials, usable as {{> name}} from both
/// ```
/// Every HTML template is rendered with kyozon's own scalar-wise escaping and every text
/// template with no escaping at all; the loader sets this, so a template cannot forget it.
public struct TemplateSet: Sendable {
    let html: MustacheLibrary
    let text: MustacheLibrary
    /// The folder the templates came from.
    public let directory: String

    public static let htmlIssue = "issue.html"
    public static let textIssue = "issue.txt"

    /// Loads the templates in `directory`, or throws an error naming the file it could not use.
    public init(directory: String) throws(TemplateError) {
        MustacheContentTypes.register(ScalarHTMLContentType(), named: ScalarHTMLContentType.name)
        self.directory = directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missingDirectory(directory)
        }
        let partialsFolder = (directory as NSString).appendingPathComponent("partials")
        let partials = (try? FileManager.default.contentsOfDirectory(atPath: partialsFolder))?
            .filter { $0.hasSuffix(".mustache") }.sorted() ?? []

        var html = MustacheLibrary()
        var text = MustacheLibrary()
        for partial in partials {
            let path = (partialsFolder as NSString).appendingPathComponent(partial)
            let name = String(partial.dropLast(".mustache".count))
            let source = try Self.read(path)
            try Self.register(source, named: name, path: path, html: true, in: &html)
            try Self.register(source, named: name, path: path, html: false, in: &text)
        }
        let htmlPath = (directory as NSString).appendingPathComponent(Self.htmlIssue + ".mustache")
        let textPath = (directory as NSString).appendingPathComponent(Self.textIssue + ".mustache")
        var sources: [(path: String, source: String)] = []
        for partial in partials {
            let path = (partialsFolder as NSString).appendingPathComponent(partial)
            sources.append((path, try Self.read(path)))
        }
        sources.append((htmlPath, try Self.read(htmlPath)))
        sources.append((textPath, try Self.read(textPath)))
        let names = Set(partials.map { String($0.dropLast(".mustache".count)) })
        for (path, source) in sources {
            try TemplateCheck.check(source, path: path, partials: names, partialsFolder: partialsFolder)
        }
        // Partials are written into the HTML template first, so that the template's CSS reaches
        // the elements they hold (descendant selectors included), then the CSS is inlined.
        var partialSources: [String: String] = [:]
        for (path, source) in sources.dropLast(2) {
            partialSources[((path as NSString).lastPathComponent as NSString).deletingPathExtension] = source
        }
        let expanded = try Self.expandPartials(sources[sources.count - 2].source, partials: partialSources, path: htmlPath)
        let inlined: String
        do {
            inlined = try CSSInliner().inline(expanded, fileName: htmlPath)
        } catch {
            throw .css(error.description)
        }
        try Self.register(inlined, named: Self.htmlIssue, path: htmlPath, html: true, in: &html)
        try Self.register(sources[sources.count - 1].source, named: Self.textIssue, path: textPath, html: false, in: &text)
        self.html = html
        self.text = text
    }

    /// Writes each `{{> name}}` out as the partial's text, nested partials too (to a depth of
    /// 8; deeper, or a partial including itself, is refused rather than left half-expanded).
    static func expandPartials(_ source: String, partials: [String: String], path: String, depth: Int = 0) throws(TemplateError) -> String {
        guard source.contains("{{>") else { return source }
        var out = ""
        var rest = Substring(source)
        while let open = rest.range(of: "{{>") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            out += rest[..<open.lowerBound]
            if let partial = partials[name] {
                guard depth < 8 else { throw .partialLoop(path: path, name: name) }
                var body = try expandPartials(partial, partials: partials, path: path, depth: depth + 1)
                // A standalone partial tag's line end is the partial's own last line end.
                if body.hasSuffix("\n"), rest[close.upperBound...].hasPrefix("\n") { body.removeLast() }
                out += body
            } else {
                out += rest[open.lowerBound..<close.upperBound]
            }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    func renderHTML(_ name: String, _ context: Any) -> String { html.render(context, withTemplate: name) ?? "" }
    func renderText(_ name: String, _ context: Any) -> String { text.render(context, withTemplate: name) ?? "" }

    private static func read(_ path: String) throws(TemplateError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw .missingFile(path) }
        guard let source = String(data: data, encoding: .utf8) else { throw .notUTF8(path) }
        return source
    }

    private static func register(
        _ source: String, named name: String, path: String, html: Bool, in library: inout MustacheLibrary
    ) throws(TemplateError) {
        // The pragma does not carry into partials, so every template gets its own.
        let pragma = html ? "{{% CONTENT_TYPE: \(ScalarHTMLContentType.name)}}" : "{{% CONTENT_TYPE: TEXT}}"
        do {
            library.register(try MustacheTemplate(string: pragma + source), named: name)
        } catch {
            throw .syntax(path, "\(error)")
        }
    }
}

/// A template that could not be used, naming the path tried.
public enum TemplateError: Error, CustomStringConvertible, Equatable {
    case missingDirectory(String)
    case missingFile(String)
    case notUTF8(String)
    case syntax(String, String)
    /// The HTML template's CSS uses what the inliner cannot apply (the message names the rule).
    case css(String)
    case unknownPartial(path: String, line: Int, name: String, tried: String)
    case unknownVariable(path: String, line: Int, name: String)
    /// The rendered issue lacks something every issue must carry (the unsubscribe link, the sender).
    case missingRequired(part: String, what: String, variable: String)
    /// The 「貴県からの掲載」 markers are missing or misplaced: every reader would get every block.
    case prefectureBlocks(part: String, problem: String)
    /// `{{> name}}` partials include each other in a loop, or nest deeper than 8.
    case partialLoop(path: String, name: String)

    public var description: String {
        switch self {
        case .missingDirectory(let path):
            "templates folder not found: \(path) (set templates.dir in kyozon.toml or KYOZON_TEMPLATES, or run from the folder holding Templates/)"
        case .missingFile(let path): "template not found: \(path)"
        case .notUTF8(let path): "template is not UTF-8: \(path)"
        case .syntax(let path, let detail): "template \(path) has a Mustache syntax error: \(detail)"
        case .css(let message): message
        case .unknownPartial(let path, let line, let name, let tried):
            "\(path):\(line): partial {{> \(name)}} not found (tried \(tried))"
        case .unknownVariable(let path, let line, let name):
            "\(path):\(line): {{\(name)}} is not a variable of the issue; see README.md, \"Templates\", for the names"
        case .missingRequired(let part, let what, let variable):
            "the \(part) issue does not show \(what) ({{\(variable)}}); every issue must carry it (特定電子メール法), so check the templates"
        case .prefectureBlocks(let part, let problem):
            "template \(part): the 「貴県からの掲載」 blocks: \(problem); write {{#prefecture_blocks}}{{{marker}}}…{{/prefecture_blocks}}{{{yours_end}}} (see README.md, Templates)"
        case .partialLoop(let path, let name):
            "template \(path): the partial {{> \(name)}} includes itself, or partials nest deeper than 8"
        }
    }
}
