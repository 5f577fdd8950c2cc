import KyozonDomain

/// Everything an issue says, before any template sees it.
public struct IssueContent: Sendable {
    /// The Tokyo month whose submissions the issue gathers.
    public var month: IssueMonth
    /// The sequence number on the masthead (Vol. N).
    public var volume: Int
    /// The issue's title; defaults to `KYOZON KYOEI 2026年12月号 Vol.N`.
    public var title: String?
    /// The staff's opening words; a sensible default when nil.
    public var lead: String?
    public var items: [Item]
    public var sender: Sender
    /// The KYOZON KYOEI portal, linked from the footer.
    public var portalURL: String
    /// Dates with Japanese era years (令和8年) instead of western ones.
    public var japaneseEra = false
    /// The web edition's address: mails link to it (「ブラウザで見る」), since many officers'
    /// gateways turn HTML mail into text.
    public var webURL: String?
    /// Rendering the web edition itself: no 「ブラウザで見る」 link, and a footer for the page
    /// instead of the one addressed to a reader.
    public var webEdition = false
    /// Where readers of the web edition can subscribe.
    public var subscribeURL: String?

    public init(
        month: IssueMonth, volume: Int, title: String? = nil, lead: String? = nil, items: [Item], sender: Sender,
        portalURL: String
    ) {
        self.month = month
        self.volume = volume
        self.title = title
        self.lead = lead
        self.items = items
        self.sender = sender
        self.portalURL = portalURL
    }

    /// The issue is published in the month after its submissions: November's items make the 12月号.
    public var publicationMonth: IssueMonth { month.next }

    public var effectiveTitle: String {
        title ?? "KYOZON KYOEI \(publicationMonth.year)年\(publicationMonth.month)月号 Vol.\(volume)"
    }

    public var effectiveLead: String {
        lead
            ?? "\(month.month)月に各道府県・市区町村から寄せられたイベント、キャンペーン、特産品、連携事業などの情報をお届けします。"
    }
}

/// Who sends the newsletter, as the footer and the From header show it.
public struct Sender: Sendable {
    /// Display name in From: `東京都 政策企画局 地方連携推進担当`.
    public var name: String
    public var address: EmailAddress
    /// The postal address printed in the footer.
    public var postalAddress: String
    /// How readers reach the team: phone, mail.
    public var contact: String

    public init(name: String, address: EmailAddress, postalAddress: String, contact: String) {
        self.name = name
        self.address = address
        self.postalAddress = postalAddress
        self.contact = contact
    }
}
