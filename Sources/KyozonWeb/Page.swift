import KyozonCollector
import KyozonComposer
import KyozonStore
import KyozonDomain

/// The HTML of kyozon's pages: Japanese, usable without JavaScript, with labels, landmarks and
/// errors tied to their fields (JIS X 8341-3 in spirit). Every value is escaped per scalar.
enum Page {
    static func e(_ text: String) -> String { HTMLEscaping.escape(text) }

    /// A page; `alert`, when given, is said first (a form that could not be taken, and why).
    static func layout(title: String, alert: String? = nil, _ body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="ja">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e(title))｜KYOZON KYOEI</title>
        <style>
        body { margin: 0; font-family: 'Hiragino Kaku Gothic ProN', 'Hiragino Sans', Meiryo, 'Noto Sans CJK JP', sans-serif; line-height: 1.8; color: #222; background: #f2f1ec; }
        main { max-width: 40rem; margin: 0 auto; padding: 1.5rem; background: #fff; }
        h1 { font-size: 1.5rem; color: #1a4f8b; border-bottom: 4px solid #1a4f8b; padding-bottom: .25rem; }
        label, legend { font-weight: bold; display: block; margin-top: 1rem; }
        input[type=email], input[type=text], input[type=url], input[type=date], input[type=password], select, textarea { font-size: 1rem; padding: .5rem; width: 100%; box-sizing: border-box; border: 2px solid #555; }
        fieldset { border: 2px solid #555; margin-top: 1rem; }
        fieldset label { font-weight: normal; display: flex; gap: .5rem; align-items: baseline; }
        button { margin-top: 1.5rem; font-size: 1.1rem; padding: .75rem 1.5rem; background: #1a4f8b; color: #fff; border: 0; cursor: pointer; }
        button:focus, input:focus, select:focus, a:focus { outline: 3px solid #c9a227; outline-offset: 2px; }
        .error { color: #b00020; font-weight: bold; }
        .note { font-size: .9rem; color: #444; }
        </style>
        </head>
        <body>
        <main>
        <h1>\(e(title))</h1>
        \(alert.map { "<p class=\"error\" role=\"alert\">\(e($0))</p>" } ?? "")
        \(body)
        </main>
        </body>
        </html>
        """
    }

    static func message(title: String, _ paragraphs: [String]) -> String {
        layout(title: title, paragraphs.map { "<p>\(e($0))</p>" }.joined(separator: "\n"))
    }

    /// The subscribe form, with errors shown by their fields.
    static func subscribe(
        lists: [MailingList], csrf: String, values: [String: String] = [:], chosen: Set<String> = [], errors: [String: String] = [:]
    ) -> String {
        func error(_ field: String) -> (attribute: String, html: String) {
            guard let message = errors[field] else { return ("", "") }
            return (" aria-invalid=\"true\" aria-describedby=\"\(field)-error\"", "<p class=\"error\" id=\"\(field)-error\" role=\"alert\">\(e(message))</p>")
        }
        let email = error("email")
        let listsError = error("lists")
        let prefectureOptions = (["<option value=\"\">（選択してください）</option>"] + Prefecture.all.map {
            "<option value=\"\($0.jisCode)\"\(values["prefecture"] == $0.jisCode ? " selected" : "")>\(e($0.name))</option>"
        }).joined()
        let boxes = lists.map { list in
            """
            <label><input type="checkbox" name="list" value="\(e(list.id))"\(chosen.contains(list.id) ? " checked" : "")> <span>\(e(list.name))<br><span class="note">\(e(list.description))</span></span></label>
            """
        }.joined(separator: "\n")
        return layout(title: "配信登録", """
            <p>KYOZON KYOEI は、各地から寄せられたイベント・キャンペーン・特産品・連携事業の情報を毎月お届けする、東京都のメールマガジンです。</p>
            <form method="post" action="/subscribe">
            <input type="hidden" name="csrf" value="\(e(csrf))">
            <label for="email">メールアドレス（必須）</label>
            <input type="email" id="email" name="email" required autocomplete="email" value="\(e(values["email"] ?? ""))"\(email.attribute)>
            \(email.html)
            <label for="name">お名前</label>
            <input type="text" id="name" name="name" autocomplete="name" value="\(e(values["name"] ?? ""))">
            <label for="organization">所属</label>
            <input type="text" id="organization" name="organization" autocomplete="organization" value="\(e(values["organization"] ?? ""))">
            <label for="prefecture">都道府県</label>
            <select id="prefecture" name="prefecture">\(prefectureOptions)</select>
            <fieldset\(listsError.attribute)>
            <legend>配信リスト（1つ以上）</legend>
            \(boxes)
            </fieldset>
            \(listsError.html)
            <button type="submit">登録を申し込む</button>
            </form>
            <p class="note">お申し込みのあと、確認のメールをお送りします。メール内のリンクから登録を確定するまで、配信は始まりません。</p>
            """)
    }

    /// A page whose only action is one button that POSTs (nothing changes on a GET).
    static func confirmButton(title: String, text: String, action: String, csrf: String, button: String, alert: String? = nil) -> String {
        layout(title: title, alert: alert, """
            <p>\(e(text))</p>
            <form method="post" action="\(e(action))">
            <input type="hidden" name="csrf" value="\(e(csrf))">
            <button type="submit">\(e(button))</button>
            </form>
            """)
    }

    /// The unsubscribe page: leave one list, some, or all (the issue's lists ticked).
    static func unsubscribe(
        lists: [MailingList], ticked: Set<String>, action: String, preferences: String, csrf: String, alert: String? = nil
    ) -> String {
        let boxes = lists.map { list in
            "<label><input type=\"checkbox\" name=\"list\" value=\"\(e(list.id))\"\(ticked.contains(list.id) ? " checked" : "")> <span>\(e(list.name))</span></label>"
        }.joined(separator: "\n")
        let change = "<p>配信を受けるリストを選び直すには、<a href=\"\(e(preferences))\">配信リストの変更</a>のページへ。</p>"
        return layout(title: "配信の停止", alert: alert, lists.isEmpty ? "<p>現在、配信中のリストはありません。</p>\n" + change : """
            <form method="post" action="\(e(action))">
            <input type="hidden" name="csrf" value="\(e(csrf))">
            <fieldset>
            <legend>配信を停止するリスト</legend>
            \(boxes)
            </fieldset>
            <button type="submit">選んだリストの配信を停止する</button>
            </form>
            \(change)
            """)
    }

    /// The preferences page: the lists on offer, those received ticked; untick to leave, tick to join.
    static func preferences(lists: [MailingList], active: Set<String>, address: String, action: String, csrf: String, errors: [String]) -> String {
        let boxes = lists.map { list in
            """
            <label><input type="checkbox" name="list" value="\(e(list.id))"\(active.contains(list.id) ? " checked" : "")> <span>\(e(list.name))<br><span class="note">\(e(list.description))</span></span></label>
            """
        }.joined(separator: "\n")
        let problems = errors.map { "<p class=\"error\" role=\"alert\">\(e($0))</p>" }.joined(separator: "\n")
        return layout(title: "配信リストの変更", """
            <p>\(e(address)) 宛てにお届けするリストを選んでください。チェックを外したリストは配信を停止し、チェックを付けたリストはすぐに配信を始めます。</p>
            \(problems)
            <form method="post" action="\(e(action))">
            <input type="hidden" name="csrf" value="\(e(csrf))">
            <fieldset>
            <legend>受け取る配信リスト</legend>
            \(boxes)
            </fieldset>
            <button type="submit">この内容で変更する</button>
            </form>
            <p class="note">すべてのチェックを外すと、KYOZON KYOEI の配信をすべて停止します。</p>
            """)
    }

    /// The back numbers, newest first, each linking to its web edition.
    static func backNumbers(_ issues: [(month: String, volume: Int, subject: String, sent: Timestamp)]) -> String {
        let rows = issues.map { issue in
            "<li><a href=\"/issues/\(e(issue.month))\">\(e(issue.subject))</a><br><span class=\"note\">\(e(String(issue.sent.description.prefix(10)))) 配信</span></li>"
        }.joined(separator: "\n")
        return layout(title: "バックナンバー", """
            <p>KYOZON KYOEI のこれまでの号です。メールと同じ内容をご覧いただけます。</p>
            \(issues.isEmpty ? "<p>まだ配信した号はありません。</p>" : "<ul>\n\(rows)\n</ul>")
            <p><a href="/subscribe">メールでの配信を申し込む</a></p>
            """)
    }

    /// The fields of the submission form, as named in submission files.
    static let submissionFields = ["title", "category", "prefecture", "municipality", "starts_on", "ends_on", "venue", "summary", "url", "contact"]

    /// The submission form for one office, with the collector's problems shown by their fields.
    static func submission(office: Submitter, action: String, csrf: String, values: [String: String] = [:], problems: [FieldProblem] = []) -> String {
        var byField: [String: [String]] = [:]
        for problem in problems { byField[problem.field, default: []].append(problem.message) }
        func error(_ field: String) -> (attribute: String, html: String) {
            guard let messages = byField[field] else { return ("", "") }
            return (
                " aria-invalid=\"true\" aria-describedby=\"\(field)-error\"",
                "<p class=\"error\" id=\"\(field)-error\">\(e(messages.joined(separator: "／")))</p>"
            )
        }
        func input(_ field: String, _ label: String, type: String = "text", required: Bool = false, note: String = "") -> String {
            let problem = error(field)
            return """
                <label for="\(field)">\(e(label))\(required ? "（必須）" : "")</label>
                \(note.isEmpty ? "" : "<p class=\"note\" id=\"\(field)-note\">\(e(note))</p>")
                <input type="\(type)" id="\(field)" name="\(field)" value="\(e(values[field] ?? ""))"\(required ? " required" : "")\(problem.attribute)>
                \(problem.html)
                """
        }
        let chosenCategory = values["category"] ?? ""
        let categories = (["<option value=\"\">（選択してください）</option>"] + Category.allCases.map {
            "<option value=\"\($0.rawValue)\"\(chosenCategory == $0.rawValue ? " selected" : "")>\(e($0.label))</option>"
        }).joined()
        let chosenPrefecture = values["prefecture"] ?? office.prefecture?.name ?? ""
        // An office without a prefecture chooses one: none is picked for it.
        let prefectures = "<option value=\"\">（選択してください）</option>" + Prefecture.all.map {
            "<option value=\"\(e($0.name))\"\(chosenPrefecture == $0.name ? " selected" : "")>\(e($0.name))</option>"
        }.joined()
        let general = problems.filter { !submissionFields.contains($0.field) }.map { "<p class=\"error\" role=\"alert\">\(e($0.description))</p>" }
        let summaryProblem = error("summary"), categoryProblem = error("category"), prefectureProblem = error("prefecture")
        return layout(title: "掲載情報の提出", """
            <p>\(e(office.office)) からの掲載情報です。送信すると、その場で内容を確認し、受け付けたかどうかと、受け付けられない場合はその理由をお示しします。</p>
            \(problems.isEmpty ? "" : "<p class=\"error\" role=\"alert\">受け付けられませんでした。次の項目をご確認ください。</p>")
            \(general.joined(separator: "\n"))
            <form method="post" action="\(e(action))">
            <input type="hidden" name="csrf" value="\(e(csrf))">
            \(input("title", "件名", required: true))
            <label for="category">種類（必須）</label>
            <select id="category" name="category" required\(categoryProblem.attribute)>\(categories)</select>
            \(categoryProblem.html)
            <label for="prefecture">都道府県（必須）</label>
            <select id="prefecture" name="prefecture" required\(prefectureProblem.attribute)>\(prefectures)</select>
            \(prefectureProblem.html)
            \(input("municipality", "市区町村"))
            \(input("starts_on", "開始日", type: "date", note: "催しの場合。1日だけの催しは開始日のみ。"))
            \(input("ends_on", "終了日", type: "date"))
            \(input("venue", "会場"))
            <label for="summary">内容（必須）</label>
            <textarea id="summary" name="summary" rows="8" required\(summaryProblem.attribute)>\(e(values["summary"] ?? ""))</textarea>
            \(summaryProblem.html)
            \(input("url", "詳しい情報のURL", type: "url"))
            \(input("contact", "問い合わせ先", note: "担当部署と電話番号など"))
            <button type="submit">提出する</button>
            </form>
            """)
    }

    /// The answer to an accepted submission.
    static func submitted(office: Submitter, title: String, warnings: [FieldProblem], flags: [String], again: String) -> String {
        var paragraphs = ["<p>「\(e(title))」を受け付けました。翌月の KYOZON KYOEI に掲載する予定です。ありがとうございました。</p>"]
        if flags.contains("ended_before_send") {
            paragraphs.append("<p class=\"error\">この催しは配信日より前に終了するため、このままでは掲載されません。日程をご確認ください。</p>")
        }
        if !warnings.isEmpty {
            paragraphs.append("<p>次の点を確認・調整しました：</p><ul>" + warnings.map { "<li>\(e($0.description))</li>" }.joined() + "</ul>")
        }
        paragraphs.append("<p><a href=\"\(e(again))\">続けて提出する</a></p>")
        return layout(title: "受け付けました", paragraphs.joined(separator: "\n"))
    }
}
