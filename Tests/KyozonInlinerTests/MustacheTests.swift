import KyozonInliner
import XCTest

final class MustacheTests: XCTestCase {
    func testMustacheInAttributesAndTextIsPreserved() throws {
        XCTAssertEqual(
            try inlined(css: ".btn { color: red }", body: "<a href=\"{{url}}\" title='{{{title}}}' class=\"btn\">{{title}} &amp; {{{html}}}</a>"),
            "<a href=\"{{url}}\" title='{{{title}}}' class=\"btn\" style=\"color:red\">{{title}} &amp; {{{html}}}</a>"
        )
    }

    func testSectionsPartialsAndCommentsInTextArePreserved() throws {
        let body = """
            <table>
              {{#items}}
              <tr class="item"><td>{{name}}</td></tr>
              {{/items}}
              {{^items}}<tr><td>none {{! nothing <b>here</b> }}</td></tr>{{/items}}
            </table>
            {{> footer}}
            """
        XCTAssertEqual(try inlined(css: ".item td { padding: 0 } b { color: red }", body: body), """
            <table>
              {{#items}}
              <tr class="item"><td style="padding:0">{{name}}</td></tr>
              {{/items}}
              {{^items}}<tr><td>none {{! nothing <b>here</b> }}</td></tr>{{/items}}
            </table>
            {{> footer}}
            """)
    }

    func testOnlyLiteralClassTokensMatch() throws {
        let css = ".item { color: red } .kind { margin: 0 } .active { padding: 0 } .featured { border: 0 }"
        XCTAssertEqual(
            try inlined(css: css, body: """
                <p class="item {{kind}}">1</p>\
                <p class="{{ kind }}">2</p>\
                <p class="{{#on}}active{{/on}}">3</p>\
                <p class="{{#on}} active {{/on}} featured">4</p>\
                <p class="x{{kind}}">5</p>
                """),
            """
            <p class="item {{kind}}" style="color:red">1</p>\
            <p class="{{ kind }}">2</p>\
            <p class="{{#on}}active{{/on}}">3</p>\
            <p class="{{#on}} active {{/on}} featured" style="border:0">4</p>\
            <p class="x{{kind}}">5</p>
            """
        )
    }

    func testMustacheIDDoesNotMatch() throws {
        XCTAssertEqual(try inlined(css: "#x { color: red } h2 { margin: 0 }", body: "<h2 id=\"{{anchor}}\">t</h2>"),
                       "<h2 id=\"{{anchor}}\" style=\"margin:0\">t</h2>")
    }

    func testMustacheInUnquotedValuesAndAttributePosition() throws {
        XCTAssertEqual(
            try inlined(css: ".btn { color: red } td { padding: 0 }",
                        body: "<a href={{ url }} data-p={{> p}} class=btn>x</a><td {{#wide}}width=\"600\"{{/wide}}>y</td>"),
            "<a href={{ url }} data-p={{> p}} class=btn style=\"color:red\">x</a>"
                + "<td {{#wide}}width=\"600\"{{/wide}} style=\"padding:0\">y</td>"
        )
    }

    func testMustacheInsideExistingStyleIsKept() throws {
        XCTAssertEqual(
            try inlined(css: "td { padding: 0 }", body: "<td style=\"color: {{color}}; width: {{{w}}}px\">x</td>"),
            "<td style=\"padding:0;color:{{color}};width:{{{w}}}px\">x</td>"
        )
    }

    func testMustacheInCSSValuesIsInlinedVerbatim() throws {
        XCTAssertEqual(
            try inlined(css: ".a { color: {{brandColor}}; background: url({{&imageURL}}) }", body: "<p class=\"a\">t</p>"),
            "<p class=\"a\" style=\"color:{{brandColor}};background:url({{&imageURL}})\">t</p>"
        )
    }

    func testConditionalCommentsPassThroughUntouched() throws {
        let template = """
            <head>
            <style>td { padding: 0 } .a { color: red }</style>
            <!--[if mso]>
            <style>td { font-family: 'MS Gothic'; }</style>
            <![endif]-->
            </head>
            <body>
            <!--[if mso]><table class="a"><tr><td width="600"><![endif]-->
            <!--[if !mso]><!--><div class="a">modern</div><!--<![endif]-->
            <td>x</td>
            <!--[if mso]></td></tr></table><![endif]-->
            <!-- <td class="a"> plain comment -->
            </body>
            """
        XCTAssertEqual(try CSSInliner().inline(template, fileName: testFileName), """
            <head>
            <!--[if mso]>
            <style>td { font-family: 'MS Gothic'; }</style>
            <![endif]-->
            </head>
            <body>
            <!--[if mso]><table class="a"><tr><td width="600"><![endif]-->
            <!--[if !mso]><!--><div class="a" style="color:red">modern</div><!--<![endif]-->
            <td style="padding:0">x</td>
            <!--[if mso]></td></tr></table><![endif]-->
            <!-- <td class="a"> plain comment -->
            </body>
            """)
    }
}
