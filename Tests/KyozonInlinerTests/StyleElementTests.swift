import KyozonInliner
import XCTest

final class StyleElementTests: XCTestCase {
    func testStyleElementWithoutMediaIsRemovedWithItsLine() throws {
        let template = """
            <html>
            <head>
              <title>t</title>
              <style>
                p { margin: 0 }
              </style>
            </head>
            <body><p>x</p></body>
            </html>
            """
        XCTAssertEqual(try CSSInliner().inline(template, fileName: testFileName), """
            <html>
            <head>
              <title>t</title>
            </head>
            <body><p style="margin:0">x</p></body>
            </html>
            """)
    }

    func testMediaQueriesAreKeptVerbatimInTheFirstStyleElement() throws {
        let template = """
            <head>
              <style type="text/css">
                .a { color: red; }
                @media (max-width: 600px) {
                  .a { width: 100% !important; } /* phones */
                  a:hover { color: blue; }
                }
                .b { color: green; }
              </style>
              <style>
                @media (prefers-color-scheme: dark) {
                  .a { color: white !important; }
                }
              </style>
            </head>
            <body><p class="a">x</p><p class="b">y</p></body>
            """
        // Rules inside @media are not inlined (".a" stays red) and not validated (a:hover is fine there).
        XCTAssertEqual(try CSSInliner().inline(template, fileName: testFileName), """
            <head>
              <style type="text/css">
                @media (max-width: 600px) {
                  .a { width: 100% !important; } /* phones */
                  a:hover { color: blue; }
                }
                @media (prefers-color-scheme: dark) {
                  .a { color: white !important; }
                }
              </style>
            </head>
            <body><p class="a" style="color:red">x</p><p class="b" style="color:green">y</p></body>
            """)
    }

    func testMediaOnASingleLineStyleElement() throws {
        XCTAssertEqual(
            try CSSInliner().inline("<head><style>p{margin:0}@media print{p{color:black}}</style></head><p>x</p>",
                                    fileName: testFileName),
            "<head><style>@media print{p{color:black}}</style></head><p style=\"margin:0\">x</p>"
        )
    }

    func testStyleElementSharingALineIsRemovedAlone() throws {
        XCTAssertEqual(
            try CSSInliner().inline("<head><title>t</title><style>p { margin: 0 }</style></head>\n<p>x</p>",
                                    fileName: testFileName),
            "<head><title>t</title></head>\n<p style=\"margin:0\">x</p>"
        )
    }

    func testTemplateWithoutStyleIsUnchanged() throws {
        let template = "<!DOCTYPE html>\r\n<html  lang=ja>\n<body class=\"x\" >\n  <p  id = 'y' data-a>text &amp; more</p>\n</body></html>"
        XCTAssertEqual(try CSSInliner().inline(template, fileName: testFileName), template)
    }

    func testAttributeOrderAndSpacingArePreserved() throws {
        XCTAssertEqual(
            try inlined(css: "td { padding: 0 }", body: "<td  valign=top\n    align='left' nowrap >x</td>"),
            "<td  valign=top\n    align='left' nowrap style=\"padding:0\" >x</td>"
        )
    }

    func testScriptAndTitleContentsAreRawText() throws {
        XCTAssertEqual(
            try inlined(css: "b { color: red }", body: "<title>a <b> b</title><script>if (a<b) {}</script><b>x</b>"),
            "<title>a <b> b</title><script>if (a<b) {}</script><b style=\"color:red\">x</b>"
        )
    }

    func testLegacyHTMLCommentMarkersInsideStyleAreIgnored() throws {
        XCTAssertEqual(try inlined(css: "<!-- p { margin: 0 } -->", body: "<p>x</p>"), "<p style=\"margin:0\">x</p>")
    }
}
