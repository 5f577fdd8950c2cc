import KyozonDomain
import Testing

@testable import KyozonComposer

@Suite struct SummaryMarkupTests {
    func html(_ source: String) -> String { SummaryRenderer.html(SummaryMarkup.parse(source), paragraphStyle: "") }
    func text(_ source: String) -> String { SummaryRenderer.text(SummaryMarkup.parse(source)) }

    @Test func paragraphsBreaksListsAndEmphasis() {
        let source = "一段落目、**重要**です。\n二行目は*強調*。\n\n・一つ目\n・二つ目\n\n1. 申込\n2. 参加"
        #expect(html(source) == """
            <p style="">一段落目、<strong>重要</strong>です。<br>二行目は<em>強調</em>。</p>
            <ul style="margin:6px 0;padding-left:1.5em;"><li>一つ目</li><li>二つ目</li></ul>
            <ol style="margin:6px 0;padding-left:1.5em;"><li>申込</li><li>参加</li></ol>
            """)
        #expect(text(source) == "一段落目、重要です。\n二行目は強調。\n\n・一つ目\n・二つ目\n\n1. 申込\n2. 参加")
    }

    @Test func onlyWebLinksBecomeLinks() {
        #expect(html("詳細は[特設サイト](https://example.jp/a?b=1&c=2)へ") == #"<p style="">詳細は <a href="https://example.jp/a?b=1&amp;c=2" style="color:#1a4f8b;">特設サイト</a> へ</p>"#)
        #expect(html("見る：https://example.jp/x。") == #"<p style="">見る： <a href="https://example.jp/x" style="color:#1a4f8b;">https://example.jp/x</a> 。</p>"#)
        for hostile in ["[x](javascript:alert(1))", "[x](data:text/html,<b>)"] {
            #expect(!html(hostile).contains("<a "), "\(hostile)")
        }
        // A quote ends a bare URL: the safe part may be linked, the rest is escaped text.
        let quoted = html("[x](https://a.example/\"onmouseover=\"y)")
        #expect(!quoted.contains("\"onmouseover") && quoted.contains("&quot;onmouseover=&quot;y)"))
        #expect(text("詳細は[特設サイト](https://example.jp/a)へ") == "詳細は特設サイト\nhttps://example.jp/a\nへ")
    }

    @Test func everythingElseIsShownAsText() {
        let source = "<script>alert(1)</script> <b>太字</b> # 見出し ![画像](https://x.example/i.png) `code`"
        let rendered = html(source)
        #expect(!rendered.contains("<script") && !rendered.contains("<b>") && !rendered.contains("<img"))
        #expect(rendered.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(rendered.contains("# 見出し"))
        #expect(rendered.contains("! <a href=\"https://x.example/i.png\""), "an image is only its link")
    }

    @Test func unmatchedMarkersStayText() {
        #expect(SummaryMarkup.inlines("5*3=15 と **未完") == [.text("5*3=15 と **未完")])
        #expect(SummaryMarkup.inlines("a**b**c") == [.text("a"), .strong("b"), .text("c")])
    }
}
