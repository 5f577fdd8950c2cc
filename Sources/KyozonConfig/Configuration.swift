import KyozonDomain

/// Everything kyozon reads from `kyozon.toml`, with the embedded defaults.
///
/// Every key is optional; a missing file means all defaults, which suit a first run
/// against a local SMTP server. See README.md, "Configuration", for each key.
public struct Configuration: Sendable, Equatable {
    // [smtp]
    public var smtpURL = "smtp://127.0.0.1:25"
    /// `required` (STARTTLS, the default) or `off` (plain text; loopback relays only).
    public var smtpTLS = TLSMode.required
    public var smtpUsername: String?
    /// A file holding the SMTP password (outside git); `KYOZON_SMTP_PASSWORD` wins over it.
    public var smtpPasswordFile: String?
    public var smtpCAFile: String?
    public var smtpConnectTimeout = 30
    public var smtpResponseTimeout = 300
    public var smtpHeloName: String?

    // [sender]
    public var senderName = "東京都 政策企画局 地方連携推進担当"
    public var senderAddress = "kyozon-kyoei@kyozon-kyoei.example"
    /// The envelope sender (MAIL FROM), where bounces go.
    public var envelopeFrom = "bounces@kyozon-kyoei.example"
    public var postalAddress = "〒163-8001 東京都新宿区西新宿二丁目8番1号"
    public var contact = "東京都 政策企画局 総務部 渉外課（地方連携推進担当）"
    /// The address for `mailto:` unsubscribing in List-Unsubscribe; none when unset.
    public var unsubscribeAddress: String? = "unsubscribe@kyozon-kyoei.example"

    // [site]
    /// The public base URL of kyozon's pages (unsubscribe links point here).
    public var baseURL = "https://kyozon-kyoei.example"
    public var portalURL = "https://www.kyozon-kyoei.metro.tokyo.lg.jp/"
    /// Reverse proxies whose `X-Forwarded-For` header names the client (rate limits, consent
    /// records and the audit log need the reader's address, not the proxy's).
    public var trustedProxies = ["127.0.0.1", "::1"]

    // [templates]
    public var templatesDirectory: String?

    // [issue]
    /// The day of the month the issue goes out (1–28); events over before then are flagged.
    public var sendDay = 5
    /// `run-monthly` still sends this many days after the send day (a timer catching up after
    /// a short outage); later it refuses, since a month-old issue sent by surprise does harm.
    public var lateDays = 3
    /// Dates in the issue with Japanese era years (令和8年12月5日) instead of 2026年12月5日.
    public var japaneseEra = false

    // [collect]
    /// The inbox folder `kyozon collect` reads when given no paths.
    public var inbox: String?
    /// RSS 2.0 / Atom feeds `kyozon collect` pulls when given no paths.
    public var feeds: [Feed] = []

    /// A feed of items from one prefecture's site.
    public struct Feed: Sendable, Equatable {
        public var url: String
        /// Recorded as the items' `submitted_by`.
        public var name: String
        /// The prefecture every item of the feed belongs to (as accepted in submissions).
        public var prefecture: String
        /// The category for items whose own category is missing or unknown.
        public var category: String

        public init(url: String, name: String, prefecture: String, category: String) {
            self.url = url
            self.name = name
            self.prefecture = prefecture
            self.category = category
        }
    }

    /// Envelope sender per delivery, `local+TOKEN@domain` (VERP), so a bounce names its delivery.
    public var verp = true

    // [dkim]
    /// The PEM private key that signs messages (outside git); none: the relay signs, or nobody does.
    public var dkimKeyFile: String?
    public var dkimSelector: String?
    /// The signing domain; default: the From address's domain.
    public var dkimDomain: String?

    // [bounce]
    /// How bounces add up to marking a subscriber `bounced` (Mailman's scores).
    public var bounces = BouncePolicy()

    // [send]
    /// Deliveries claimed per transaction; a crash leaves at most this many plus
    /// `connections` rows `uncertain`.
    public var batchSize = 32
    /// Seconds before a temporarily refused message is tried again (doubling with each try).
    public var retryDelay = 600
    /// Seconds after queueing when a message still refused for now is given up as failed.
    public var retryFor = 3 * 86400
    /// Seconds a run may wait for deferred messages to come due or a failing relay to recover.
    public var waitWithinRun = 0
    /// SMTP connections used at once.
    public var connections = 4
    /// At most this many messages a second (none: unlimited).
    public var perSecond: Double?
    /// At most this many messages in any minute (none: unlimited).
    public var perMinute: Int?

    // [staff]
    /// Who gets staff mail: reminders to approve, reports after a send.
    public var staffNotify: [String] = []
    /// Where the staff pages listen (`kyozon serve`): loopback unless set otherwise.
    public var staffListen = "127.0.0.1:8081"
    /// Staff logins: name → bcrypt hash (`kyozon staff hash-password`).
    public var staffAccounts: [String: String] = [:]

    public enum TLSMode: String, Sendable, CaseIterable {
        case required
        case off
    }

    public init() {}
}
