import KyozonDomain

/// The dictionary the issue templates see. Dictionaries render several times faster
/// than structs in swift-mustache (no `Mirror`), and every key is listed here.
enum IssueView {
    /// The keys of the issue's context, for template checks.
    static let topLevelKeys: Set<String> = [
        "title", "newsletter", "volume", "issue_label", "submission_month", "lead", "lead_html", "lead_text", "item_count",
        "has_items", "sections", "sender", "portal_url", "subscriber_name", "subscriber_organization", "unsubscribe_url",
        "preheader", "prefectures", "prefecture_blocks", "yours_end", "web_url", "web_edition", "subscribe_url",
    ]
    /// Keys of sections, items, paragraphs, prefectures and the sender.
    static let nestedKeys: Set<String> = [
        "id", "label", "count", "items", "category", "prefecture", "region", "place", "municipality", "dates", "venue",
        "summary", "summary_html", "summary_text", "url", "contact", "has_links", "name", "address", "postal_address",
        "anchor", "last", "marker", "code", "shortened", "title_text", "line_text",
    ]

    /// Summaries longer than this many characters are shortened in the HTML, with a link to
    /// the full item, so that a full issue stays under Gmail's clipping size.
    static let summaryLimit = 200

    static func context(for content: IssueContent) -> [String: Any] {
        // Display order: sections in the fixed category order, items by region, prefecture
        // (JIS order) and date; anchors follow it.
        var sections: [[String: Any]] = []
        var number = 0
        var ordered: [(Item, String)] = []
        for category in Category.allCases {
            let items = content.items.filter { $0.category == category }.sorted(by: Item.issueOrder)
            guard !items.isEmpty else { continue }
            var views: [[String: Any]] = []
            for item in items {
                number += 1
                let anchor = "item-\(number)"
                ordered.append((item, anchor))
                views.append(view(of: item, anchor: anchor, era: content.japaneseEra))
            }
            sections.append(["id": category.rawValue, "label": category.label, "count": items.count, "items": views])
        }
        let byPrefecture = Dictionary(grouping: ordered, by: { $0.0.prefecture })
        let prefectures = byPrefecture.keys.sorted().map { prefecture -> [String: Any] in
            let entries = byPrefecture[prefecture]!
            return [
                "name": prefecture.name, "code": prefecture.code, "count": entries.count,
                "marker": Personalization.Marker.prefectureVariant(prefecture.code),
                "items": entries.enumerated().map { index, entry in
                    [
                        "title": entry.0.title, "anchor": entry.1, "category": entry.0.category.label,
                        "last": index == entries.count - 1,
                        "title_text": hanging("  ・", entry.0.title),
                        "line_text": hanging("  ・", "\(entry.0.title)（\(entry.0.category.label)）"),
                    ]
                },
            ]
        }
        let publication = content.publicationMonth
        let lead = content.effectiveLead
        return [
            "title": content.effectiveTitle,
            "newsletter": "KYOZON KYOEI",
            "volume": content.volume,
            "issue_label": JapaneseDate.year(CalendarDate(year: publication.year, month: publication.month, day: 1)!, era: content.japaneseEra)
                + "\(publication.month)月号",
            "submission_month": content.month.japaneseLabel,
            "lead": lead,
            "lead_html": SummaryRenderer.html(SummaryMarkup.parse(lead), paragraphStyle: "margin:0 0 12px;"),
            "lead_text": TextLayout.wrap(SummaryRenderer.text(SummaryMarkup.parse(lead))),
            "preheader": preheader(content, sections: sections),
            "item_count": content.items.count,
            "has_items": !content.items.isEmpty,
            "sections": sections,
            "prefectures": prefectures,
            // Rendered once, cut out after rendering, and spliced per reader by prefecture.
            "prefecture_blocks": prefectures,
            "yours_end": Personalization.Marker.prefectureEnd,
            "sender": [
                "name": content.sender.name,
                "address": content.sender.address.value,
                "postal_address": content.sender.postalAddress,
                "contact": content.sender.contact,
            ],
            "portal_url": content.portalURL,
            "subscriber_name": Personalization.Marker.name,
            "subscriber_organization": Personalization.Marker.organization,
            "unsubscribe_url": Personalization.Marker.unsubscribeURL,
            "web_url": content.webURL ?? "",
            "web_edition": content.webEdition,
            "subscribe_url": content.subscribeURL ?? "",
        ]
    }

    /// `text` wrapped at 70 columns after `mark`, later lines indented to hang under it.
    static func hanging(_ mark: String, _ text: String) -> String {
        let width = EastAsianWidth.columns(mark)
        let pad = String(repeating: " ", count: width)
        return TextLayout.wrap(text, width: 70 - width).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { ($0.offset == 0 ? mark : pad) + $0.element }.joined(separator: "\n")
    }

    /// The line mail clients show after the subject: what is inside.
    static func preheader(_ content: IssueContent, sections: [[String: Any]]) -> String {
        guard !content.items.isEmpty else { return "今号に掲載する情報はありません。" }
        let parts = sections.map { "\($0["label"]!)\($0["count"]!)件" }
        return "今号は\(content.items.count)件：" + parts.joined(separator: "、")
    }

    static func view(of item: Item, anchor: String, era: Bool) -> [String: Any] {
        let markup = SummaryMarkup.parse(item.summary)
        var view: [String: Any] = [
            "title": item.title,
            "anchor": anchor,
            "category": item.category.label,
            "prefecture": item.prefecture.name,
            "region": item.prefecture.region.label,
            "place": [item.prefecture.name, item.municipality].compactMap { $0 }.joined(separator: " "),
            "summary": item.summary,
            "summary_text": TextLayout.wrap(SummaryRenderer.text(markup)),
            // Titles run to 100 characters: wrapped at 70 columns, hanging under their ◆.
            "title_text": hanging("◆ ", item.title),
        ]
        if let url = item.url, item.summary.count > summaryLimit {
            // The plain text keeps the whole summary; the HTML shows the start and links on.
            let plain = SummaryRenderer.text(markup).replacingOccurrences(of: "\n", with: " ")
            let cut = String(plain.prefix(summaryLimit - 60))
            view["summary_html"] = "<p style=\"margin:0 0 8px;\">\(HTMLEscaping.escape(cut))…<a href=\"\(HTMLEscaping.escape(url))\" style=\"color:#1a4f8b;\">続きを読む</a></p>"
            view["shortened"] = true
        } else {
            view["summary_html"] = SummaryRenderer.html(markup, paragraphStyle: "margin:0 0 8px;")
        }
        if let start = item.startsOn { view["dates"] = JapaneseDate.format(from: start, to: item.endsOn, era: era) }
        if let venue = item.venue { view["venue"] = venue }
        if let url = item.url { view["url"] = url }
        if let contact = item.contact { view["contact"] = contact }
        if let municipality = item.municipality { view["municipality"] = municipality }
        view["has_links"] = item.url != nil || item.contact != nil
        return view
    }
}
