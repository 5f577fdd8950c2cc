/// Counting bounces the way Mailman does: each bounce adds to a subscriber's score (a hard
/// one more than a soft one), the score goes stale when no bounce came for a while, and at
/// the threshold the subscriber is marked `bounced` and no longer mailed.
///
/// The defaults suit a monthly newsletter: three hard bounces within 90 days (Mailman's
/// defaults, 5.0 within 7 days, assume a daily list).
public struct BouncePolicy: Sendable, Equatable {
    public var hard = 1.0
    public var soft = 0.5
    public var threshold = 3.0
    public var staleSeconds: Int64 = 90 * 86400

    public init() {}

    public enum Kind: Sendable, Equatable {
        case hard
        case soft
    }

    /// The kind of bounce an SMTP refusal is, or nil when it says nothing about the address:
    /// a 5.7.x refusal is the receiver's policy about our content or our server, not a bad mailbox.
    public static func kind(code: Int?, reply: String) -> Kind? {
        guard let code, (400..<600).contains(code) else { return nil }
        if EnhancedStatus(reply: reply)?.isPolicy == true { return nil }
        return code >= 500 ? .hard : .soft
    }

    /// The kind of bounce a delivery report's `Action` and `Status` say, or nil: delays and
    /// policy refusals (x.7.x) count against nobody. The same rule as for SMTP replies.
    public static func kind(action: String, status: String) -> Kind? {
        guard action == "failed", let status = EnhancedStatus(status), !status.isPolicy else { return nil }
        switch status.klass {
        case 5: return .hard
        case 4: return .soft
        default: return nil
        }
    }

    /// The score after a bounce at `now`, given the score and when it last changed.
    public func score(after kind: Kind, current: Double, lastBounce: Timestamp?, now: Timestamp) -> Double {
        let base = lastBounce.map { now.epochSeconds - $0.epochSeconds > staleSeconds } ?? true ? 0 : current
        return base + (kind == .hard ? hard : soft)
    }

    public func isBounced(_ score: Double) -> Bool { score >= threshold }
}
