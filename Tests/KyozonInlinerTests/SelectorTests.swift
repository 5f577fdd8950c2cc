import KyozonInliner
import XCTest

final class SelectorTests: XCTestCase {
    func testTypeSelector() throws {
        XCTAssertEqual(
            try inlined(css: "td { padding: 0 }", body: "<table><tr><td>x</td><th>y</th></tr></table>"),
            "<table><tr><td style=\"padding:0\">x</td><th>y</th></tr></table>"
        )
    }

    func testTypeSelectorIsCaseInsensitive() throws {
        XCTAssertEqual(
            try inlined(css: "TD { padding: 0 }", body: "<TD>x</TD><td>y</td>"),
            "<TD style=\"padding:0\">x</TD><td style=\"padding:0\">y</td>"
        )
    }

    func testClassSelectorMatchesWholeTokensOnly() throws {
        XCTAssertEqual(
            try inlined(css: ".item { color: red }",
                        body: "<p class=\"item\">a</p><p class=\"first  item\tlast\">b</p><p class=\"items\">c</p><p class=\"Item\">d</p>"),
            "<p class=\"item\" style=\"color:red\">a</p><p class=\"first  item\tlast\" style=\"color:red\">b</p>"
                + "<p class=\"items\">c</p><p class=\"Item\">d</p>"
        )
    }

    func testCompoundTypeAndClass() throws {
        XCTAssertEqual(
            try inlined(css: "p.note { color: gray }", body: "<p class=\"note\">a</p><div class=\"note\">b</div><p>c</p>"),
            "<p class=\"note\" style=\"color:gray\">a</p><div class=\"note\">b</div><p>c</p>"
        )
    }

    func testCompoundOfTwoClasses() throws {
        XCTAssertEqual(
            try inlined(css: ".a.b { color: red }", body: "<i class=\"b a\">1</i><i class=\"a\">2</i><i class=\"b\">3</i>"),
            "<i class=\"b a\" style=\"color:red\">1</i><i class=\"a\">2</i><i class=\"b\">3</i>"
        )
    }

    func testIDSelector() throws {
        XCTAssertEqual(
            try inlined(css: "#toc { margin: 0 } div#toc { padding: 0 }",
                        body: "<div id=\"toc\">a</div><div id=\"toc2\">b</div><p id=\"toc\">c</p>"),
            "<div id=\"toc\" style=\"margin:0;padding:0\">a</div><div id=\"toc2\">b</div><p id=\"toc\" style=\"margin:0\">c</p>"
        )
    }

    func testDescendantChain() throws {
        let css = ".item td a { color: red }"
        XCTAssertEqual(
            try inlined(css: css, body: "<table class=\"item\"><tr><td><a>x</a></td></tr></table>"),
            "<table class=\"item\"><tr><td><a style=\"color:red\">x</a></td></tr></table>"
        )
        // Ancestors need not be parents.
        XCTAssertEqual(
            try inlined(css: css, body: "<div class=\"item\"><table><tr><td><span><b><a>x</a></b></span></td></tr></table></div>"),
            "<div class=\"item\"><table><tr><td><span><b><a style=\"color:red\">x</a></b></span></td></tr></table></div>"
        )
        // Missing .item, or missing td: no match.
        XCTAssertEqual(
            try inlined(css: css, body: "<table><tr><td><a>x</a></td></tr></table><div class=\"item\"><a>y</a></div>"),
            "<table><tr><td><a>x</a></td></tr></table><div class=\"item\"><a>y</a></div>"
        )
        // Order matters: td above .item does not count.
        XCTAssertEqual(
            try inlined(css: css, body: "<table><tr><td><div class=\"item\"><a>x</a></div></td></tr></table>"),
            "<table><tr><td><div class=\"item\"><a>x</a></div></td></tr></table>"
        )
    }

    func testDescendantNeedsDistinctAncestors() throws {
        XCTAssertEqual(
            try inlined(css: "div div a { color: red }", body: "<div><p><a>1</a></p></div><div><div><a>2</a></div></div>"),
            "<div><p><a>1</a></p></div><div><div><a style=\"color:red\">2</a></div></div>"
        )
    }

    func testClosedSiblingIsNotAnAncestor() throws {
        XCTAssertEqual(
            try inlined(css: ".x a { color: red }", body: "<div class=\"x\"></div><a>1</a>"),
            "<div class=\"x\"></div><a>1</a>"
        )
    }

    func testSelectorList() throws {
        XCTAssertEqual(
            try inlined(css: "h1,\n h2 { margin: 0 }", body: "<h1>a</h1><h2>b</h2><h3>c</h3>"),
            "<h1 style=\"margin:0\">a</h1><h2 style=\"margin:0\">b</h2><h3>c</h3>"
        )
    }

    func testVoidElementsAreNotAncestors() throws {
        XCTAssertEqual(
            try inlined(css: "td a { color: red } img a { color: blue } br a { color: green } img { border: 0 }",
                        body: "<td><img src=\"x.png\"><br><hr/><a>x</a><img src=\"y.png\" /></td>"),
            "<td><img src=\"x.png\" style=\"border:0\"><br><hr/><a style=\"color:red\">x</a><img src=\"y.png\" style=\"border:0\" /></td>"
        )
    }
}
