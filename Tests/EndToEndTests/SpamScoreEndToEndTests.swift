import Foundation
import KyozonTestSupport
import Testing

/// The sample issue, as one reader gets it, scored by SpamAssassin offline (Debian's
/// spamassassin, `-L`: no network tests). Government gateways filter hard; stay well below 2.0.
@Suite struct SpamScoreEndToEndTests {
    @Test func theSampleIssueScoresBelowTwo() throws {
        let data = try TemporaryDirectory("kyozon-spam")
        let environment = ["KYOZON_DATA_DIR": data.path, "KYOZON_NOW": "2026-12-01T09:00:00+09:00"]
        func kyozon(_ arguments: String...) throws -> ProcessOutput {
            try ProcessRunner.run(ProcessRunner.kyozonBinary, arguments, environment: environment, currentDirectory: PackagePaths.root)
        }
        #expect(try kyozon("lists", "sync").status == 0)
        #expect(try kyozon("collect", PackagePaths.path("scripts/samples/submissions-2026-11.json")).status == 0)
        #expect(try kyozon("compose", "--month", "2026-11", "--out", data.file("issue")).status == 0)
        let report = try ProcessRunner.run(
            "/usr/bin/spamassassin", ["-L", "-x", "-t"], stdin: try Data(contentsOf: URL(fileURLWithPath: data.file("issue/sample.eml"))))
        let line = try #require(report.stdout.split(separator: "\n").first { $0.contains("Content analysis details:") })
        // "Content analysis details:   (-1.0 points, 5.0 required)"
        let score = try #require(Double(line.split(separator: "(")[1].split(separator: " ")[0]))
        #expect(score < 2.0, "SpamAssassin scored the sample issue \(score):\n\(report.stdout.suffix(1500))")
    }
}
