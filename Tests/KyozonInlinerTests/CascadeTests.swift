import KyozonInliner
import XCTest

final class CascadeTests: XCTestCase {
    func testSpecificityBeatsSourceOrder() throws {
        // id > class > type, whatever the order in the sheet; each property once, in cascade order.
        XCTAssertEqual(
            try inlined(css: "#x { color: red } .c { color: green; padding: 1px } p { margin: 0; color: blue }",
                        body: "<p id=\"x\" class=\"c\">t</p>"),
            "<p id=\"x\" class=\"c\" style=\"margin:0;padding:1px;color:red\">t</p>"
        )
    }

    func testClassBeatsTypeAndDescendantAddsSpecificity() throws {
        XCTAssertEqual(
            try inlined(css: "td a { color: red } a { color: blue } .c { color: green }",
                        body: "<td><a class=\"c\">1</a><a>2</a></td>"),
            "<td><a class=\"c\" style=\"color:green\">1</a><a style=\"color:red\">2</a></td>"
        )
    }

    func testSourceOrderBreaksTies() throws {
        XCTAssertEqual(try inlined(css: ".a { color: red } .b { color: blue }", body: "<i class=\"a b\">t</i>"),
                       "<i class=\"a b\" style=\"color:blue\">t</i>")
        XCTAssertEqual(try inlined(css: ".b { color: blue } .a { color: red }", body: "<i class=\"a b\">t</i>"),
                       "<i class=\"a b\" style=\"color:red\">t</i>")
    }

    func testLastDeclarationInARuleWins() throws {
        XCTAssertEqual(try inlined(css: ".a { color: red; color: blue }", body: "<i class=\"a\">t</i>"),
                       "<i class=\"a\" style=\"color:blue\">t</i>")
    }

    func testSelectorListUsesMostSpecificMatchingSelector() throws {
        // "#x, p" matches via #x (1,0,0), so it beats ".c" even though ".c" comes later.
        XCTAssertEqual(try inlined(css: "#x, p { color: red } .c { color: blue }", body: "<p id=\"x\" class=\"c\">t</p>"),
                       "<p id=\"x\" class=\"c\" style=\"color:red\">t</p>")
    }

    func testExistingInlineStyleWinsAndIsReplacedInPlace() throws {
        XCTAssertEqual(
            try inlined(css: ".a { color: red; margin: 0 }",
                        body: "<td class=\"a\" style=\"color: blue\" width=\"10\">t</td>"),
            "<td class=\"a\" style=\"margin:0;color:blue\" width=\"10\">t</td>"
        )
    }

    func testSheetImportantBeatsInlineButIsNotWrittenOut() throws {
        XCTAssertEqual(
            try inlined(css: ".a { color: red !important; margin: 0 ! IMPORTANT } #i { color: green }",
                        body: "<td id=\"i\" class=\"a\" style=\"color: blue; margin: 2px\">t</td>"),
            "<td id=\"i\" class=\"a\" style=\"color:red;margin:0\">t</td>"
        )
    }

    func testInlineImportantBeatsSheetImportant() throws {
        XCTAssertEqual(
            try inlined(css: "#i { color: red !important }", body: "<td id=\"i\" style=\"color: blue !important\">t</td>"),
            "<td id=\"i\" style=\"color:blue !important\">t</td>"
        )
    }

    func testShorthandOrderIsPreserved() throws {
        // Inline "padding" overrides the sheet's padding-top, so it must come after it.
        XCTAssertEqual(
            try inlined(css: ".a { padding-top: 4px }", body: "<td class=\"a\" style=\"padding:8px\">t</td>"),
            "<td class=\"a\" style=\"padding-top:4px;padding:8px\">t</td>"
        )
    }

    func testUnmatchedElementsKeepTheirStyleByteForByte() throws {
        let body = "<td style = 'COLOR : Red ;' >t</td><TD\nSTYLE=\"x\">u</TD>"
        XCTAssertEqual(try inlined(css: ".a { color: blue }", body: body), body)
    }

    func testSingleQuotedAndEncodedInlineStylesAreMerged() throws {
        XCTAssertEqual(
            try inlined(css: ".a { color: red }",
                        body: "<b class=\"a\" style='font-family:\"A B\"'>1</b><b class=\"a\" style=\"font-family:&quot;A;B&quot;\">2</b>"),
            "<b class=\"a\" style=\"color:red;font-family:&quot;A B&quot;\">1</b>"
                + "<b class=\"a\" style=\"color:red;font-family:&quot;A;B&quot;\">2</b>"
        )
    }

    func testStylesFromSeveralBlocksFollowSourceOrder() throws {
        let template = "<style>.a { color: red }</style>\n<style>.b { color: blue }</style>\n<i class=\"a b\">t</i>"
        XCTAssertEqual(try CSSInliner().inline(template, fileName: testFileName), "<i class=\"a b\" style=\"color:blue\">t</i>")
    }
}
