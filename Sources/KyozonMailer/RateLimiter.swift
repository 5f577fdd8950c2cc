/// How fast a relay lets us send: at most `perSecond` messages a second, and at most `count`
/// messages in any `seconds` window (relays often say "N per minute" or "N per hour").
public struct RateLimit: Sendable, Equatable {
    public var perSecond: Double?
    public var window: (count: Int, seconds: Double)?

    public init(perSecond: Double? = nil, window: (count: Int, seconds: Double)? = nil) {
        self.perSecond = perSecond
        self.window = window
    }

    public static let unlimited = RateLimit()

    public static func == (a: RateLimit, b: RateLimit) -> Bool {
        a.perSecond == b.perSecond && a.window?.count == b.window?.count && a.window?.seconds == b.window?.seconds
    }
}

/// Decides when the next message may start under a `RateLimit`, from the times the earlier
/// ones started. Pure: the caller passes the clock (seconds, monotonic).
public struct RateLimiter: Sendable {
    public let limit: RateLimit
    private var lastStart: Double?
    /// Start times within the window, oldest first.
    private var recent: [Double] = []
    private var head = 0

    public init(_ limit: RateLimit) {
        self.limit = limit
    }

    /// Seconds to wait before the next message may start (0: now).
    public func delay(at now: Double) -> Double {
        var wait = 0.0
        if let perSecond = limit.perSecond, perSecond > 0, let last = lastStart {
            wait = max(wait, last + 1 / perSecond - now)
        }
        if let window = limit.window, recent.count - head >= window.count {
            wait = max(wait, recent[recent.count - window.count] + window.seconds - now)
        }
        return max(0, wait)
    }

    /// Records that a message started at `now`.
    public mutating func started(at now: Double) {
        lastStart = now
        guard let window = limit.window else { return }
        recent.append(now)
        while head < recent.count, recent[head] <= now - window.seconds { head += 1 }
        // Keep the buffer from growing without bound.
        if head > 1024 && head * 2 > recent.count {
            recent.removeFirst(head)
            head = 0
        }
    }
}
