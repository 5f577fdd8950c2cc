import Foundation
import KyozonCollector
import KyozonComposer
import KyozonDomain
import KyozonStore

/// The HTML of the staff pages: Japanese, without JavaScript, every value escaped per scalar.
enum StaffPage {
    static func e(_ text: String) -> String { HTMLEscaping.escape(text) }

    static func layout(title: String, staff: StaffSession?, _ body: String) -> String {
        let bar = staff.map { staff in
            """
            <nav aria-label="スタッフメニュー"><a href="/staff">編集中の号</a> <a href="/staff/audit">操作記録</a>
            <form method="post" action="/staff/logout" class="inline"><input type="hidden" name="csrf" value="\(e(staff.csrf))"><span>\(e(staff.name))</span> <button type="submit" class="small">ログアウト</button></form></nav>
            """
        } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="ja">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title))｜KYOZON KYOEI 編集</title>
            <style>
            body { margin: 0; font-family: 'Hiragino Kaku Gothic ProN', 'Hiragino Sans', Meiryo, 'Noto Sans CJK JP', sans-serif; line-height: 1.7; color: #222; background: #eef0f3; }
            nav { background: #1a4f8b; color: #fff; padding: .5rem 1.5rem; display: flex; gap: 1.5rem; align-items: center; flex-wrap: wrap; }
            nav a { color: #fff; }
            nav form { margin-left: auto; }
            main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; background: #fff; }
            h1 { font-size: 1.4rem; color: #1a4f8b; border-bottom: 4px solid #1a4f8b; padding-bottom: .25rem; }
            h2 { font-size: 1.15rem; border-left: 6px solid #1a4f8b; padding-left: .5rem; margin-top: 2rem; }
            label { font-weight: bold; display: block; margin-top: .75rem; }
            input[type=text], input[type=password], input[type=url], input[type=date], input[type=number], textarea, select { font-size: 1rem; padding: .4rem; width: 100%; box-sizing: border-box; border: 2px solid #555; }
            input[type=number] { width: 5rem; }
            fieldset { border: 2px solid #555; margin-top: 1rem; }
            fieldset label { font-weight: normal; display: flex; gap: .5rem; }
            button { margin-top: 1rem; font-size: 1rem; padding: .5rem 1.2rem; background: #1a4f8b; color: #fff; border: 0; cursor: pointer; }
            button.small { margin: 0; padding: .2rem .6rem; font-size: .85rem; }
            button.secondary { background: #555; }
            button:focus, input:focus, textarea:focus, select:focus, a:focus { outline: 3px solid #c9a227; outline-offset: 2px; }
            table { border-collapse: collapse; width: 100%; font-size: .9rem; }
            th, td { border: 1px solid #bbb; padding: .3rem .5rem; vertical-align: top; text-align: left; }
            th { background: #e6ebf2; }
            tr.out td { background: #f3f3f3; color: #666; }
            .inline { display: inline; }
            .notice { background: #fff7d6; border: 2px solid #c9a227; padding: .5rem 1rem; }
            .ok { color: #1d6b2f; font-weight: bold; }
            .warn { color: #b00020; font-weight: bold; }
            .frames { display: flex; gap: 1rem; flex-wrap: wrap; align-items: flex-start; }
            .frames iframe { border: 2px solid #555; background: #fff; height: 900px; }
            pre { background: #f6f6f6; border: 1px solid #ccc; padding: .75rem; overflow-x: auto; font-family: 'Noto Sans Mono CJK JP', monospace; font-size: .85rem; line-height: 1.5; }
            </style>
            </head>
            <body>
            \(bar)
            <main>
            <h1>\(e(title))</h1>
            \(body)
            </main>
            </body>
            </html>
            """
    }

    static func message(_ title: String, _ paragraphs: [String], back: String) -> String {
        layout(title: title, staff: nil, paragraphs.map { "<p>\(e($0))</p>" }.joined() + "<p><a href=\"\(e(back))\">戻る</a></p>")
    }

    static func hidden(_ staff: StaffSession) -> String { "<input type=\"hidden\" name=\"csrf\" value=\"\(e(staff.csrf))\">" }

    static func login(error: String? = nil) -> String {
        layout(title: "スタッフログイン", staff: nil, """
            \(error.map { "<p class=\"warn\" role=\"alert\">\(e($0))</p>" } ?? "")
            <form method="post" action="/staff/login">
            <label for="name">ユーザー名</label>
            <input type="text" id="name" name="name" autocomplete="username" required>
            <label for="password">パスワード</label>
            <input type="password" id="password" name="password" autocomplete="current-password" required>
            <button type="submit">ログイン</button>
            </form>
            """)
    }

    static func label(_ field: CorrectableField) -> String {
        switch field {
        case .title: "件名"
        case .municipality: "市区町村"
        case .venue: "会場"
        case .summary: "内容"
        case .url: "URL"
        case .contact: "問い合わせ先"
        }
    }

    static func edit(
        month: IssueMonth, subject: String, approval: String, approved: Bool, title: String, lead: String, lists: [MailingList],
        chosen: Set<String>, items: [EditableItem], staff: StaffSession, notice: String?
    ) -> String {
        let base = "/staff/issues/\(month)"
        let listBoxes = lists.map { (list: MailingList) -> String in
            "<label><input type=\"checkbox\" name=\"list\" value=\"\(e(list.id))\"\(chosen.contains(list.id) ? " checked" : "")> \(e(list.name))</label>"
        }.joined(separator: "\n")
        // As the issue shows them: sections in their fixed order, then the issue's order within.
        let order = Dictionary(uniqueKeysWithValues: Category.allCases.enumerated().map { ($1, $0) })
        let sorted = items.sorted { a, b in
            a.item.category != b.item.category ? order[a.item.category]! < order[b.item.category]! : Item.issueOrder(a.item, b.item)
        }
        let rows = sorted.map { (item: EditableItem) -> String in
            var state = item.included ? "掲載" : "除外"
            if item.flags.contains(.endedBeforeSend) { state += item.choice == "keep" ? "（終了済みだが掲載）" : "（配信日前に終了）" }
            let corrected = item.corrected.isEmpty ? "" : "<br><span class=\"warn\">修正あり：\(e(item.corrected.map { CorrectableField(rawValue: $0).map(label) ?? $0 }.joined(separator: "、")))</span>"
            let action = item.included ? ("exclude", "除外する") : (item.flags.isEmpty || item.choice == "keep" ? ("include", "掲載に戻す") : ("keep", "掲載する"))
            return """
                <tr\(item.included ? "" : " class=\"out\"")>
                <td>\(e(item.item.category.label))</td><td>\(e(item.item.prefecture.name))</td>
                <td>\(e(item.item.title))\(corrected)<br><span>\(e(item.item.submittedBy))</span></td>
                <td>\(e(state))</td>
                <td><form method="post" action="\(base)/items/\(item.id)">\(hidden(staff))<input type="hidden" name="action" value="\(action.0)"><button type="submit" class="small">\(action.1)</button></form></td>
                <td><form method="post" action="\(base)/items/\(item.id)">\(hidden(staff))<input type="hidden" name="action" value="place"><label class="inline" for="position-\(item.id)">順番</label> <input type="number" min="1" id="position-\(item.id)" name="position" value="\(item.position.map(String.init) ?? "")"> <button type="submit" class="small">並べ替え</button></form></td>
                <td><a href="\(base)/items/\(item.id)">修正</a></td>
                </tr>
                """
        }.joined(separator: "\n")
        return layout(title: "\(subject) の編集", staff: staff, """
            \(notice.map { "<p class=\"notice\" role=\"status\">\(e($0))</p>" } ?? "")
            <p class="\(approved ? "ok" : "warn")">\(e(approval))</p>
            <p><a href="\(base)/preview">プレビュー・テスト送信・承認へ</a></p>
            <h2>号の設定</h2>
            <form method="post" action="\(base)/details">
            \(hidden(staff))
            <label for="title">タイトル（空欄なら「\(e("KYOZON KYOEI ○年○月号 Vol.N"))」）</label>
            <input type="text" id="title" name="title" value="\(e(title))">
            <label for="lead">リード文（空欄なら標準の文）</label>
            <textarea id="lead" name="lead" rows="4">\(e(lead))</textarea>
            <fieldset><legend>配信先のリスト</legend>
            \(listBoxes)
            </fieldset>
            <button type="submit">保存する</button>
            </form>
            <h2>掲載する情報（\(items.filter(\.included).count)件 / 全\(items.count)件）</h2>
            <p>順番は種類ごとの並び（1が先頭）。空欄なら地方・都道府県・日付の順です。</p>
            <table>
            <thead><tr><th scope="col">種類</th><th scope="col">都道府県</th><th scope="col">件名・提出元</th><th scope="col">状態</th><th scope="col">掲載</th><th scope="col">順番</th><th scope="col">修正</th></tr></thead>
            <tbody>
            \(rows)
            </tbody>
            </table>
            <h2>取材レポートを追加</h2>
            <form method="post" action="\(base)/report">
            \(hidden(staff))
            <label for="report-title">件名（必須）</label><input type="text" id="report-title" name="title" required>
            <label for="report-prefecture">都道府県（必須）</label>
            <select id="report-prefecture" name="prefecture" required><option value="">（選択してください）</option>\(Prefecture.all.map { "<option value=\"\(e($0.name))\">\(e($0.name))</option>" }.joined())</select>
            <label for="report-venue">取材先・会場</label><input type="text" id="report-venue" name="venue">
            <label for="report-summary">本文（必須）</label><textarea id="report-summary" name="summary" rows="6" required></textarea>
            <label for="report-url">URL</label><input type="url" id="report-url" name="url">
            <label for="report-contact">問い合わせ先</label><input type="text" id="report-contact" name="contact">
            <button type="submit">追加する</button>
            </form>
            """)
    }

    static func correction(month: IssueMonth, item: EditableItem, staff: StaffSession, problems: [String] = []) -> String {
        let base = "/staff/issues/\(month)"
        func value(_ field: CorrectableField) -> String { field.value(in: item.item) ?? "" }
        func original(_ field: CorrectableField) -> String { field.value(in: item.original) ?? "" }
        let fields = CorrectableField.allCases.map { (field: CorrectableField) -> String in
            let input = field == .summary
                ? "<textarea id=\"\(field.rawValue)\" name=\"\(field.rawValue)\" rows=\"8\">\(e(value(field)))</textarea>"
                : "<input type=\"text\" id=\"\(field.rawValue)\" name=\"\(field.rawValue)\" value=\"\(e(value(field)))\">"
            let was = value(field) == original(field) ? "" : "<p>提出時：\(e(original(field)))</p>"
            return "<label for=\"\(field.rawValue)\">\(e(label(field)))</label>\n\(input)\n\(was)"
        }.joined(separator: "\n")
        return layout(title: "「\(item.item.title)」の修正", staff: staff, """
            \(problems.map { "<p class=\"warn\" role=\"alert\">\(e($0))</p>" }.joined())
            <p>誤字などを修正します。提出された文面はそのまま保存され、修正の記録が残ります。</p>
            <form method="post" action="\(base)/items/\(item.id)/correct">
            \(hidden(staff))
            \(fields)
            <button type="submit">修正を保存する</button>
            </form>
            <p><a href="\(base)">編集に戻る</a></p>
            """)
    }

    static func preview(month: IssueMonth, preview: StaffPreview, lists: [MailingList], staff: StaffSession, notice: String?) -> String {
        let base = "/staff/issues/\(month)"
        let kb = { (bytes: Int) in String(format: "%.1f KB", Double(bytes) / 1024) }
        let recipients = preview.recipients.map { "<tr><td>\(e($0.name))（\(e($0.list))）</td><td>\($0.count)</td></tr>" }.joined()
        let warnings = preview.warnings.isEmpty ? "<p>ありません。</p>" : "<ul>" + preview.warnings.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
        let collection = preview.collection.isEmpty ? "<p>ありません。</p>" : "<ul>" + preview.collection.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
        let boxes = lists.map { (list: MailingList) -> String in
            "<label><input type=\"checkbox\" name=\"list\" value=\"\(e(list.id))\"\(preview.lists.contains(list.id) ? " checked" : "")> \(e(list.name))</label>"
        }.joined(separator: "\n")
        return layout(title: "プレビュー：\(preview.subject)", staff: staff, """
            \(notice.map { "<p class=\"notice\" role=\"status\">\(e($0))</p>" } ?? "")
            <p class="\(preview.approved ? "ok" : "warn")">\(e(preview.approval))</p>
            <p>掲載 \(preview.itemCount)件　メール全体 \(kb(preview.messageBytes))　HTML \(kb(preview.htmlBytes))（Gmail は約102KBを超えると途中で省略します）　<a href="\(base)">編集に戻る</a></p>
            <h2>HTMLメール（幅600px とスマートフォン幅375px）</h2>
            <div class="frames">
            <iframe title="HTMLメール 600px" src="\(base)/preview.html" width="620" sandbox></iframe>
            <iframe title="HTMLメール 375px" src="\(base)/preview.html" width="390" sandbox></iframe>
            </div>
            <h2>テキストメール</h2>
            <pre>\(e(preview.text))</pre>
            <h2>ヘッダー（見本の読者あて）</h2>
            <pre>\(e(preview.headers))</pre>
            <h2>注意点</h2>
            \(warnings)
            <h2>提出の不備・配信日前に終わる催し・重複</h2>
            \(collection)
            <h2>リスト別の配信数</h2>
            <table><thead><tr><th scope="col">リスト</th><th scope="col">登録者数</th></tr></thead><tbody>\(recipients)</tbody></table>
            <h2>テスト送信</h2>
            <form method="post" action="\(base)/test">
            \(hidden(staff))
            <label for="to">送信先（スタッフのアドレス。複数は改行かカンマで区切る）</label>
            <textarea id="to" name="to" rows="2"></textarea>
            <button type="submit" class="secondary">テスト送信する</button>
            </form>
            <h2>承認</h2>
            <p>この内容と配信先を確定します。承認後に情報やテンプレートを変えると、承認し直すまで配信されません。</p>
            <form method="post" action="\(base)/approve">
            \(hidden(staff))
            <input type="hidden" name="content" value="\(e(preview.contentHash))">
            <fieldset><legend>配信先のリスト</legend>
            \(boxes)
            </fieldset>
            <button type="submit">この内容で承認する</button>
            </form>
            """)
    }

    static func audit(_ entries: [AuditEntry], staff: StaffSession) -> String {
        let rows = entries.map { (entry: AuditEntry) -> String in
            "<tr><td>\(e(entry.at.description))</td><td>\(e(entry.actor))</td><td>\(e(entry.action))</td><td>\(e(entry.detail))</td></tr>"
        }.joined(separator: "\n")
        return layout(title: "操作記録", staff: staff, """
            <table><thead><tr><th scope="col">日時</th><th scope="col">担当</th><th scope="col">操作</th><th scope="col">内容</th></tr></thead>
            <tbody>
            \(rows)
            </tbody></table>
            """)
    }
}
