import KyozonInliner
import XCTest

final class ErrorTests: XCTestCase {
    func testExampleMessageFromTheIssue() {
        let template = String(repeating: "\n", count: 11) + "<style>a:hover { color: red }</style>"
        let error = inlineError(template, fileName: "Templates/issue.html.mustache")
        XCTAssertEqual(
            error?.description,
            "Templates/issue.html.mustache line 12: the CSS selector \"a:hover\" is not supported (supported: type, "
                + ".class, #id, and descendant selectors such as \".item td a\"; put :hover in an @media block or drop it)"
        )
    }

    func testEachUnsupportedSelectorNamesTheRuleAndLine() {
        let cases: [(selector: String, hint: String?)] = [
            ("a:hover", "put :hover in an @media block or drop it"),
            ("td:first-child", "put :first-child in an @media block or drop it"),
            ("p::before", "put ::before in an @media block or drop it"),
            ("ul > li", "use a space (a descendant selector) instead of \">\""),
            ("ul>li", "use a space (a descendant selector) instead of \">\""),
            ("h1 + p", "give the element a class instead of using \"+\""),
            ("h1 ~ p", "give the element a class instead of using \"~\""),
            ("a[href]", "give the element a class instead of using an attribute selector"),
            ("[data-x]", "give the element a class instead of using an attribute selector"),
            ("*", "name the element type or give it a class instead of using \"*\""),
            (".item *", "name the element type or give it a class instead of using \"*\""),
            ("*.item", "name the element type or give it a class instead of using \"*\""),
            ("svg|a", nil),
            (".5col", nil),
        ]
        for (selector, hint) in cases {
            let template = "<html>\n<head>\n<style>\n  p { margin: 0 }\n  \(selector) { color: red }\n</style>\n</head>\n</html>"
            let error = inlineError(template)
            XCTAssertEqual(error?.problem, .unsupportedSelector(selector: selector, rule: selector, hint: hint), selector)
            XCTAssertEqual(error?.line, 5, selector)
            XCTAssertEqual(error?.fileName, testFileName, selector)
            XCTAssertTrue(error?.description.hasPrefix("\(testFileName) line 5: the CSS selector \"\(selector)\" is not supported") == true,
                          error?.description ?? selector)
        }
    }

    func testUnsupportedSelectorInAListReportsItsOwnLine() {
        let error = inlineError("<style>\nh1,\nh2,\na:hover,\nh3 { margin: 0 }\n</style>")
        XCTAssertEqual(error?.line, 4)
        XCTAssertEqual(
            error?.message,
            "the CSS selector \"a:hover\" in rule \"h1, h2, a:hover, h3\" is not supported (supported: type, .class, #id, "
                + "and descendant selectors such as \".item td a\"; put :hover in an @media block or drop it)"
        )
    }

    func testUnsupportedAtRules() {
        for (rule, name) in [("@font-face { font-family: X; src: url(x.woff) }", "@font-face"),
                             ("@import url(x.css);", "@import"),
                             ("@supports (display: grid) { .a { color: red } }", "@supports"),
                             ("@charset \"utf-8\";", "@charset")] {
            let error = inlineError("<style>\n.a { color: red }\n\n\(rule)\n</style>")
            XCTAssertEqual(error?.problem, .unsupportedAtRule(name: name))
            XCTAssertEqual(error?.line, 4)
            XCTAssertEqual(error?.message, "the CSS at-rule \"\(name)\" is not supported "
                           + "(only @media blocks are allowed; they are kept in a <style> element in the head)")
        }
    }

    func testInvalidCSS() {
        let cases: [(css: String, line: Int, message: String)] = [
            ("\n.a { color: red", 2, "the CSS rule \".a\" is never closed (missing \"}\")"),
            ("\n.a { color red }", 2, "the CSS declaration \"color red\" in rule \".a\" is not of the form \"property: value\""),
            (".a {\n  color: red;\n  margin: }", 3, "the CSS declaration \"margin:\" in rule \".a\" has no value"),
            (".a { *zoom: 1 }", 1, "the CSS declaration \"*zoom: 1\" in rule \".a\" has an invalid property name"),
            (".a { color: red } }", 1, "unexpected \"}\" outside any CSS rule"),
            ("\n\n/* unfinished", 3, "the CSS comment \"/*\" here is never closed with \"*/\""),
            (".a { font-family: 'Hiragino Sans;\n}", 1, "the CSS string here is not closed on the same line"),
            (".a { .b { color: red } }", 1, "the CSS rule \".a\" contains a nested { block }, which is not supported"),
            ("color: red; .a { }", 1, "\"color: red;\" is outside any CSS rule (declarations go inside selector { ... })"),
            ("h1, { margin: 0 }", 1, "the CSS rule \"h1,\" has an empty selector"),
            ("@media print { .a { color: red }", 1, "the @media block here is never closed (missing \"}\")"),
            ("\n{{#dark}}.a { color: red }{{/dark}}", 2,
             "the Mustache tag \"{{#dark}}\" cannot be used here: <style> is inlined before Mustache renders, "
                + "so only declaration values may contain Mustache tags"),
        ]
        for (css, line, message) in cases {
            let error = inlineError("<style>\(css)</style>")
            XCTAssertEqual(error?.message, message, css)
            XCTAssertEqual(error?.line, line, css)
        }
    }

    func testStrayEndTagIsReportedWithItsLine() {
        let error = inlineError("<style>td { padding: 0 }</style>\n<table>\n<tr><td>x</td></tr>\n</td>\n</table>")
        XCTAssertEqual(error?.line, 4)
        XCTAssertEqual(error?.problem, .unmatchedEndTag(tag: "td", openElement: nil, openedOnLine: nil))
        XCTAssertEqual(error?.message, "the end tag </td> has no matching start tag")
    }

    func testEndTagAtTopLevelIsReported() {
        let error = inlineError("<p>x</p>\n</div>")
        XCTAssertEqual(error?.description, "\(testFileName) line 2: the end tag </div> has no matching start tag")
    }

    func testMisnestedEndTagNamesTheOpenElement() {
        let error = inlineError("<table>\n<tr>\n<td>x\n</table>")
        XCTAssertEqual(error?.line, 4)
        XCTAssertEqual(error?.message, "the end tag </table> does not match the open element <td> from line 3 "
                       + "(close elements in order; only void elements such as <br> may be left open)")
    }

    func testEndTagsOfVoidElementsAreIgnored() throws {
        XCTAssertEqual(try CSSInliner().inline("<p>a<br></br>b</p>", fileName: testFileName), "<p>a<br></br>b</p>")
    }

    func testUnreadableHTML() {
        let cases: [(html: String, line: Int, message: String)] = [
            ("<p>\n<!-- never closed", 2, "the HTML comment \"<!--\" here is never closed with \"-->\""),
            ("\n<a href=\"x>y</a>", 2, "the value of attribute \"href\" in <a> here is never closed"),
            ("<p\nclass=x", 1, "the start tag <p here is never closed with \">\""),
            ("\n<style>p { margin: 0 }", 2, "the <style> element here is never closed with </style>"),
        ]
        for (html, line, message) in cases {
            let error = inlineError(html)
            XCTAssertEqual(error?.message, message, html)
            XCTAssertEqual(error?.line, line, html)
        }
    }

    func testUnparsableInlineStyleIsAnErrorOnlyWhenRulesMustBeMergedIntoIt() throws {
        let body = "<td style=\"{{{extraStyle}}}\">x</td>"
        XCTAssertEqual(try inlined(css: "p { margin: 0 }", body: body), body)
        let error = inlineError("<style>td { padding: 0 }</style>\n\(body)")
        XCTAssertEqual(error?.line, 2)
        XCTAssertEqual(error?.message, "the declaration \"{{{extraStyle}}}\" in the style attribute of <td> is not of the "
                       + "form \"property: value\", so the <style> rules that match this element cannot be merged into it")
    }
}
