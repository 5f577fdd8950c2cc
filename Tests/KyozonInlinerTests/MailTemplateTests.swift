import Foundation
import KyozonInliner
import XCTest

/// A realistic newsletter template, inlined end to end.
final class MailTemplateTests: XCTestCase {
    static let template = """
        <!DOCTYPE html>
        <html lang="ja">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{{subject}}</title>
          <style type="text/css">
            /* Base */
            body { margin: 0; padding: 0; background-color: #f4f4f4; }
            table { border-collapse: collapse; }
            td { font-family: 'Hiragino Sans', "Hiragino Kaku Gothic ProN", Meiryo, sans-serif; font-size: 16px; }
            #masthead td { background-color: #1a3c6e; color: #ffffff; padding: 24px; }
            .toc a { color: #1a3c6e; text-decoration: none; }
            h2.section { font-size: 20px; margin: 0 0 12px; border-bottom: 2px solid #1a3c6e; }
            .item td { padding: 8px 0; }
            .item a { color: #1a3c6e; font-weight: normal; }
            .note { color: #666666; font-size: 12px; }
            @media (max-width: 600px) {
              .container { width: 100% !important; }
            }
            @media (prefers-color-scheme: dark) {
              body { background-color: #111111 !important; }
            }
          </style>
          <!--[if mso]>
          <style>td { font-family: 'MS Gothic', sans-serif; }</style>
          <![endif]-->
        </head>
        <body>
          <table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0">
            <tr>
              <td>
                <table role="presentation" id="masthead" width="100%">
                  <tr><td>{{issueTitle}} 第{{number}}号</td></tr>
                </table>
              </td>
            </tr>
            <tr>
              <td class="toc">
                <ul>
                  {{#sections}}
                  <li><a href="#{{anchor}}">{{title}}</a></li>
                  {{/sections}}
                </ul>
              </td>
            </tr>
            {{#sections}}
            <tr>
              <td>
                <h2 class="section" id="{{anchor}}">{{title}}</h2>
                <table role="presentation" class="item {{kind}}" width="100%">
                  {{#items}}
                  <tr><td><a href="{{url}}" style="font-weight: bold">{{headline}}</a><br>{{summary}}</td></tr>
                  {{/items}}
                </table>
              </td>
            </tr>
            {{/sections}}
            <tr>
              <td><p class="note">配信停止は<a href="{{unsubscribeURL}}">こちら</a>。</p></td>
            </tr>
          </table>
        </body>
        </html>
        """

    static let expected = """
        <!DOCTYPE html>
        <html lang="ja">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{{subject}}</title>
          <style type="text/css">
            @media (max-width: 600px) {
              .container { width: 100% !important; }
            }
            @media (prefers-color-scheme: dark) {
              body { background-color: #111111 !important; }
            }
          </style>
          <!--[if mso]>
          <style>td { font-family: 'MS Gothic', sans-serif; }</style>
          <![endif]-->
        </head>
        <body style="margin:0;padding:0;background-color:#f4f4f4">
          <table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" style="border-collapse:collapse">
            <tr>
              <td style="font-family:'Hiragino Sans', &quot;Hiragino Kaku Gothic ProN&quot;, Meiryo, sans-serif;font-size:16px">
                <table role="presentation" id="masthead" width="100%" style="border-collapse:collapse">
                  <tr><td style="font-family:'Hiragino Sans', &quot;Hiragino Kaku Gothic ProN&quot;, Meiryo, sans-serif;font-size:16px;background-color:#1a3c6e;color:#ffffff;padding:24px">{{issueTitle}} 第{{number}}号</td></tr>
                </table>
              </td>
            </tr>
            <tr>
              <td class="toc" style="font-family:'Hiragino Sans', &quot;Hiragino Kaku Gothic ProN&quot;, Meiryo, sans-serif;font-size:16px">
                <ul>
                  {{#sections}}
                  <li><a href="#{{anchor}}" style="color:#1a3c6e;text-decoration:none">{{title}}</a></li>
                  {{/sections}}
                </ul>
              </td>
            </tr>
            {{#sections}}
            <tr>
              <td style="font-family:'Hiragino Sans', &quot;Hiragino Kaku Gothic ProN&quot;, Meiryo, sans-serif;font-size:16px">
                <h2 class="section" id="{{anchor}}" style="font-size:20px;margin:0 0 12px;border-bottom:2px solid #1a3c6e">{{title}}</h2>
                <table role="presentation" class="item {{kind}}" width="100%" style="border-collapse:collapse">
                  {{#items}}
                  <tr><td style="font-family:'Hiragino Sans', &quot;Hiragino Kaku Gothic ProN&quot;, Meiryo, sans-serif;font-size:16px;padding:8px 0"><a href="{{url}}" style="color:#1a3c6e;font-weight:bold">{{headline}}</a><br>{{summary}}</td></tr>
                  {{/items}}
                </table>
              </td>
            </tr>
            {{/sections}}
            <tr>
              <td style="font-family:'Hiragino Sans', &quot;Hiragino Kaku Gothic ProN&quot;, Meiryo, sans-serif;font-size:16px"><p class="note" style="color:#666666;font-size:12px">配信停止は<a href="{{unsubscribeURL}}">こちら</a>。</p></td>
            </tr>
          </table>
        </body>
        </html>
        """

    func testRealisticTemplateIsInlinedExactly() throws {
        let output = try CSSInliner().inline(Self.template, fileName: "Templates/issue.html.mustache")
        XCTAssertEqual(output, Self.expected)
        if output != Self.expected {
            // Point at the first differing line to make a failure readable.
            let got = output.split(separator: "\n", omittingEmptySubsequences: false)
            let want = Self.expected.split(separator: "\n", omittingEmptySubsequences: false)
            if let index = zip(got, want).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                XCTFail("line \(index + 1):\n got: \(got[index])\nwant: \(want[index])")
            }
        }
    }

    func testInliningIsIdempotentOnItsOutput() throws {
        // The output keeps only @media rules, so running again must change nothing.
        let once = try CSSInliner().inline(Self.template, fileName: "Templates/issue.html.mustache")
        XCTAssertEqual(try CSSInliner().inline(once, fileName: "Templates/issue.html.mustache"), once)
    }

    func testLargeTemplateStaysFast() throws {
        // Linear-ish: 2,000 repeated rows with a handful of rules well under a second.
        let row = "<tr class=\"item\"><td><a href=\"{{url}}\">{{title}}</a></td></tr>\n"
        let template = "<style>.item td a { color: red } td { padding: 0 }</style>\n<table>\n"
            + String(repeating: row, count: 2_000) + "</table>"
        let start = ContinuousClock.now
        let output = try CSSInliner().inline(template, fileName: testFileName)
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(5))
        XCTAssertEqual(output.components(separatedBy: "style=\"color:red\"").count - 1, 2_000)
    }
}
