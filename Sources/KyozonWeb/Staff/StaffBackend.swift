import KyozonDomain

/// What the staff pages need rendered or sent, beyond the store: the kyozon command supplies
/// it (rendering with the configured templates and sender, SMTP through libcurl).
public protocol StaffBackend: Sendable {
    /// The issue of `month` as it would go out now, with everything the preview page shows.
    func preview(month: IssueMonth) throws -> StaffPreview
    /// Only what the editing page shows of it: subject, approval, lists (no message built).
    func status(month: IssueMonth) throws -> StaffStatus
    /// Only the sample reader's HTML, for the preview's frames.
    func sampleHTML(month: IssueMonth) throws -> String
    /// Approves the issue for `lists` if it renders now as it did in the preview whose
    /// `previewed` content hash the member of staff saw; returns the hash, or nil when the issue
    /// has changed since (someone else edited it meanwhile): nothing unseen is approved.
    func approve(month: IssueMonth, lists: [String], previewed: String, by: String) throws -> String?
    /// Sends a test copy to each address (subject marked 【テスト送信】, recorded nowhere as a
    /// delivery); one line per address saying what the relay answered.
    func sendTest(month: IssueMonth, to: [EmailAddress], by: String) throws -> [String]
}

/// An issue's subject and approval, for the editing page.
public struct StaffStatus: Sendable {
    public var subject: String
    public var approval: String
    public var approved: Bool
    public var lists: [String]

    public init(subject: String, approval: String, approved: Bool, lists: [String]) {
        self.subject = subject
        self.approval = approval
        self.approved = approved
        self.lists = lists
    }
}

/// Everything the preview page shows.
public struct StaffPreview: Sendable {
    public var subject: String
    /// The HTML as a sample reader gets it (in the first prefecture with items).
    public var html: String
    public var text: String
    /// The sample message's header block, as sent.
    public var headers: String
    /// The sample message's size in bytes, and the HTML part's.
    public var messageBytes: Int
    public var htmlBytes: Int
    public var itemCount: Int
    /// The compose report's warnings (shortened summaries, missing links, characters JIS lacks).
    public var warnings: [String]
    /// The collector's rejects, flagged events and merged duplicates for the month.
    public var collection: [String]
    /// Confirmed subscribers per list, by list id, with the list's name.
    public var recipients: [(list: String, name: String, count: Int)]
    /// The lists set on the issue.
    public var lists: [String]
    /// Approval status in a line, and whether what would be sent is what was approved.
    public var approval: String
    public var approved: Bool
    /// A hash of what the preview shows (without the lists), carried by the approve form.
    public var contentHash: String

    public init(
        subject: String, html: String, text: String, headers: String, messageBytes: Int, htmlBytes: Int, itemCount: Int,
        warnings: [String], collection: [String], recipients: [(list: String, name: String, count: Int)], lists: [String],
        approval: String, approved: Bool, contentHash: String
    ) {
        self.subject = subject
        self.html = html
        self.text = text
        self.headers = headers
        self.messageBytes = messageBytes
        self.htmlBytes = htmlBytes
        self.itemCount = itemCount
        self.warnings = warnings
        self.collection = collection
        self.recipients = recipients
        self.lists = lists
        self.approval = approval
        self.approved = approved
        self.contentHash = contentHash
    }
}
