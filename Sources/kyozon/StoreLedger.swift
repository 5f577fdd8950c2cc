import KyozonDomain
import KyozonMailer
import KyozonStore

/// The store as the mailer's ledger for one issue.
struct StoreLedger: DeliveryLedger {
    let store: Store
    let issueID: Int64

    func claim(limit: Int, now: Timestamp) throws -> [ClaimedDelivery] {
        try store.claimDeliveries(issueID: issueID, limit: limit, now: now)
    }

    func record(_ results: [DeliveryResult], now: Timestamp) throws {
        try store.recordDeliveryResults(results, now: now)
    }

    func nextRetry() throws -> Timestamp? {
        try store.nextRetry(issueID: issueID)
    }
}
