import KyozonInliner
import XCTest

final class DeclarationTests: XCTestCase {
    private func style(_ declarations: String) throws -> String {
        try inlined(css: ".a { \(declarations) }", body: "<p class=\"a\">t</p>")
    }

    func testQuotedFontFamilyStaysValidInDoubleQuotes() throws {
        XCTAssertEqual(
            try style("font-family: 'Hiragino Sans', \"ヒラギノ角ゴ ProN\", Meiryo, sans-serif"),
            "<p class=\"a\" style=\"font-family:'Hiragino Sans', &quot;ヒラギノ角ゴ ProN&quot;, Meiryo, sans-serif\">t</p>"
        )
    }

    func testSemicolonsAndColonsInsideStringsAndParentheses() throws {
        XCTAssertEqual(
            try style("background: url(data:image/png;base64,AA==) no-repeat; font-family: 'a;b:c'; color: rgb(1, 2, 3)"),
            "<p class=\"a\" style=\"background:url(data:image/png;base64,AA==) no-repeat;font-family:'a;b:c';color:rgb(1, 2, 3)\">t</p>"
        )
    }

    func testAmpersandsAreEscaped() throws {
        XCTAssertEqual(try style("background: url('a.png?x=1&y=2')"),
                       "<p class=\"a\" style=\"background:url('a.png?x=1&amp;y=2')\">t</p>")
    }

    func testCommentsAreRemovedAndWhitespaceCollapsed() throws {
        XCTAssertEqual(
            try inlined(css: "/* header */ .a /* x */ { /* c */ color : red ; margin: 0 /* top */ auto;\n  font-family: 'A',\n    B }",
                        body: "<p class=\"a\">t</p>"),
            "<p class=\"a\" style=\"color:red;margin:0 auto;font-family:'A', B\">t</p>"
        )
    }

    func testPropertyNamesAreLowercasedExceptCustomProperties() throws {
        XCTAssertEqual(try style("COLOR: Red; --Brand: #F00"), "<p class=\"a\" style=\"color:Red;--Brand:#F00\">t</p>")
    }

    func testEmptyDeclarationsAndTrailingSemicolonsAreIgnored() throws {
        XCTAssertEqual(try style(";; color: red;;"), "<p class=\"a\" style=\"color:red\">t</p>")
    }

    func testEmptyRuleAddsNothing() throws {
        XCTAssertEqual(try inlined(css: ".a {}", body: "<p class=\"a\">t</p>"), "<p class=\"a\">t</p>")
    }
}
