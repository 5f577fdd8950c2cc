import Foundation
import Synchronization

/// At most `limit` requests per key in any `window` seconds (a sliding window kept in memory:
/// per client address and per mail address). Forgets keys once their window has passed.
final class WindowLimiter: Sendable {
    private let limit: Int
    private let window: Double
    private let hits = Mutex<[String: [Double]]>([:])

    init(limit: Int, window: Double) {
        self.limit = limit
        self.window = window
    }

    /// Counts a request for `key` at `now` (seconds); false when it is over the limit.
    func allow(_ key: String, now: Double) -> Bool {
        hits.withLock { hits in
            var times = (hits[key] ?? []).filter { $0 > now - window }
            guard times.count < limit else {
                hits[key] = times
                return false
            }
            times.append(now)
            hits[key] = times
            if hits.count > 10_000 { hits = hits.filter { $0.value.last ?? 0 > now - window } }
            return true
        }
    }

    /// How many requests `key` made in the window before `now`, without counting one.
    func count(_ key: String, now: Double) -> Int {
        hits.withLock { hits in (hits[key] ?? []).filter { $0 > now - window }.count }
    }
}
