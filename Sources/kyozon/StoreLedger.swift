import KyozonDomain
import KyozonMailer
import KyozonStore

/// The store as the mailer's ledger for one issue.
struct StoreLedger: DeliveryLedger {
    let store: Store
    let issueID: Int64

    let bounces: BouncePolicy

    func exchange(recording results: [DeliveryResult], claiming limit: Int, now: Timestamp) throws -> [ClaimedDelivery] {
        try store.exchangeDeliveries(issueID: issueID, recording: results, claiming: limit, now: now, bounces: bounces)
    }

    func notMailable(_ deliveries: [ClaimedDelivery]) throws -> [Int64: String] {
        try store.notMailable(deliveryIDs: deliveries.map(\.id))
    }

    func nextRetry() throws -> Timestamp? {
        try store.nextRetry(issueID: issueID)
    }
}
