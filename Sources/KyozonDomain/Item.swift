/// A submission that passed every check: what the composer puts in an issue.
public struct Item: Sendable, Hashable {
    /// The submitter's own id for the item, if they gave one.
    public var externalID: String?
    public var title: String
    public var category: Category
    public var prefecture: Prefecture
    public var municipality: String?
    public var startsOn: CalendarDate?
    public var endsOn: CalendarDate?
    public var venue: String?
    public var summary: String
    public var url: String?
    /// Who readers should ask: a section, a phone number, an address.
    public var contact: String?
    public var submittedAt: Timestamp
    public var submittedBy: String
    /// Staff's place for the item within its section (1 first); nil: the usual order, after
    /// any placed items.
    public var position: Int?

    public init(
        externalID: String? = nil, title: String, category: Category, prefecture: Prefecture,
        municipality: String? = nil, startsOn: CalendarDate? = nil, endsOn: CalendarDate? = nil,
        venue: String? = nil, summary: String, url: String? = nil, contact: String? = nil,
        submittedAt: Timestamp, submittedBy: String
    ) {
        self.externalID = externalID
        self.title = title
        self.category = category
        self.prefecture = prefecture
        self.municipality = municipality
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.venue = venue
        self.summary = summary
        self.url = url
        self.contact = contact
        self.submittedAt = submittedAt
        self.submittedBy = submittedBy
    }

    /// The order of items within a section: region, prefecture (JIS order), first day, title.
    public static func issueOrder(_ a: Item, _ b: Item) -> Bool {
        switch (a.position, b.position) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: break
        }
        if a.prefecture.region != b.prefecture.region { return a.prefecture.region < b.prefecture.region }
        if a.prefecture != b.prefecture { return a.prefecture < b.prefecture }
        switch (a.startsOn, b.startsOn) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a.title < b.title
        }
    }
}
