import KyozonDomain

/// The dictionary the issue templates see. Dictionaries render several times faster
/// than structs in swift-mustache (no `Mirror`), and every key is listed here.
enum IssueView {
    /// The keys of the issue's context, for template checks.
    static let topLevelKeys: Set<String> = [
        "title", "newsletter", "volume", "issue_label", "submission_month", "lead", "lead_html", "lead_text", "item_count", "has_items", "sections",
        "sender", "portal_url", "subscriber_name", "subscriber_organization", "unsubscribe_url",
    ]
    /// Keys of sections, items, paragraphs and the sender.
    static let nestedKeys: Set<String> = [
        "id", "label", "count", "items", "category", "prefecture", "region", "place", "municipality", "dates", "venue",
        "summary", "summary_html", "summary_text", "url", "contact", "has_links", "name", "address", "postal_address",
    ]

    static func context(for content: IssueContent) -> [String: Any] {
        let sections = Category.allCases.compactMap { category -> [String: Any]? in
            let items = content.items.filter { $0.category == category }.sorted(by: Item.issueOrder)
            guard !items.isEmpty else { return nil }
            return [
                "id": category.rawValue,
                "label": category.label,
                "count": items.count,
                "items": items.map(item),
            ]
        }
        let publication = content.publicationMonth
        return [
            "title": content.effectiveTitle,
            "newsletter": "KYOZON KYOEI",
            "volume": content.volume,
            "issue_label": "\(publication.year)年\(publication.month)月号",
            "submission_month": content.month.japaneseLabel,
            "lead": content.effectiveLead,
            "lead_html": SummaryRenderer.html(SummaryMarkup.parse(content.effectiveLead), paragraphStyle: "margin:0 0 12px;"),
            "lead_text": TextLayout.wrap(SummaryRenderer.text(SummaryMarkup.parse(content.effectiveLead))),
            "item_count": content.items.count,
            "has_items": !content.items.isEmpty,
            "sections": sections,
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
        ]
    }

    static func item(_ item: Item) -> [String: Any] {
        let markup = SummaryMarkup.parse(item.summary)
        var view: [String: Any] = [
            "title": item.title,
            "category": item.category.label,
            "prefecture": item.prefecture.name,
            "region": item.prefecture.region.label,
            "place": [item.prefecture.name, item.municipality].compactMap { $0 }.joined(separator: " "),
            "summary": item.summary,
            "summary_html": SummaryRenderer.html(markup),
            "summary_text": TextLayout.wrap(SummaryRenderer.text(markup)),
        ]
        if let start = item.startsOn { view["dates"] = JapaneseDate.format(from: start, to: item.endsOn) }
        if let venue = item.venue { view["venue"] = venue }
        if let url = item.url { view["url"] = url }
        if let contact = item.contact { view["contact"] = contact }
        if let municipality = item.municipality { view["municipality"] = municipality }
        view["has_links"] = item.url != nil || item.contact != nil
        return view
    }
}
