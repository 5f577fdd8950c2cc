import Foundation
import KyozonDomain
import KyozonTestSupport
import SnapshotTesting
import Testing

@testable import KyozonComposer

/// The sample issue as one reader gets it, HTML and plain text, compared line by line with
/// the snapshots under `__Snapshots__`. A change to the templates or the composer shows up
/// here as a diff to look at; re-record on purpose with `SNAPSHOT_TESTING_RECORD=all`.
@Suite struct IssueSnapshotTests {
    let templates = try! TemplateSet(directory: PackagePaths.path("Templates"))

    func personalized() throws -> (html: String, text: String) {
        let rendered = try IssueRenderer(templates: templates).render(SampleIssue.content())
        let person = Personalization(
            name: "佐藤 花子", organization: "北海道 東京事務所", unsubscribeURL: "https://kyozon-kyoei.example/unsubscribe/7.AbCdEfGhIjKlMnOpQrStUv",
            prefecture: 1)
        return rendered.personalized(person)
    }

    @Test func theHTMLIssue() throws {
        assertSnapshot(of: try personalized().html, as: .lines, named: "issue.html")
    }

    @Test func thePlainTextIssue() throws {
        assertSnapshot(of: try personalized().text, as: .lines, named: "issue.txt")
    }
}
