import Foundation
import KyozonTestSupport
import Testing

@testable import KyozonComposer

/// Mistakes staff can make editing the templates are refused, naming the template, rather
/// than sending something else: a 「貴県からの掲載」 block whose markers are gone would put every
/// prefecture's block in every reader's copy; partials that include each other never end.
@Suite struct TemplateMistakesTests {
    /// A copy of Templates/ with `edit` applied to one file.
    func templates(_ file: String, _ edit: (String) -> String) throws -> TemplateSet {
        let folder = try TemporaryDirectory("kyozon-template-mistakes")
        try FileManager.default.createDirectory(atPath: folder.file("partials"), withIntermediateDirectories: true)
        for name in ["issue.html.mustache", "issue.txt.mustache", "partials/item.mustache", "partials/footer.mustache",
            "partials/item_text.mustache", "partials/footer_text.mustache"] {
            let text = try String(contentsOfFile: PackagePaths.path("Templates/" + name), encoding: .utf8)
            _ = try folder.write(name, name == file ? edit(text) : text)
        }
        return try TemplateSet(directory: folder.path)
    }

    @Test(arguments: ["{{{yours_end}}}", "{{{marker}}}"])
    func aMissingBlockMarkerIsRefused(marker: String) throws {
        let set = try templates("issue.txt.mustache") { $0.replacingOccurrences(of: marker, with: "") }
        do {
            _ = try IssueRenderer(templates: set).render(SampleIssue.content())
            Issue.record("rendered with \(marker) gone")
        } catch {
            #expect(error.description.hasPrefix("template issue.txt: the 「貴県からの掲載」 blocks:"), "\(error)")
        }
        // The untouched templates render.
        _ = try IssueRenderer(templates: try templates("none") { $0 }).render(SampleIssue.content())
    }

    @Test func partialsIncludingEachOtherAreRefused() throws {
        do {
            _ = try templates("partials/footer.mustache") { $0 + "{{> footer}}" }
            Issue.record("a partial including itself loaded")
        } catch {
            #expect("\(error)".contains("the partial {{> footer}} includes itself"), "\(error)")
        }
    }
}
