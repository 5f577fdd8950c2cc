import Testing

@testable import KyozonDomain

@Suite struct DeliveryStateTests {
    @Test func aClaimedRowEndsSentDeferredFailedOrUncertain() {
        #expect(DeliveryState.pending.after(.claim) == .sending)
        #expect(DeliveryState.sending.after(.accepted) == .sent)
        #expect(DeliveryState.sending.after(.temporaryFailure) == .deferred)
        #expect(DeliveryState.sending.after(.permanentFailure) == .failed)
        #expect(DeliveryState.sending.after(.outcomeUnknown) == .uncertain)
        #expect(DeliveryState.sending.after(.foundStale) == .uncertain)
        #expect(DeliveryState.sending.after(.released) == .pending)
        #expect(DeliveryState.deferred.after(.claim) == .sending)
    }

    @Test func nothingLeavesAFinalStateByItself() {
        for state in DeliveryState.allCases where state.isFinal {
            for event in [DeliveryState.Event.claim, .accepted, .temporaryFailure, .permanentFailure, .released, .skip, .foundStale] {
                #expect(state.after(event) == nil, "\(state) must not move on \(event)")
            }
        }
        // Uncertain rows are resent only on purpose.
        #expect(DeliveryState.uncertain.after(.resendOnPurpose) == .sending)
        #expect(DeliveryState.sent.after(.resendOnPurpose) == nil)
    }

    @Test func resultsNeedAClaimFirst() {
        #expect(DeliveryState.pending.after(.accepted) == nil)
        #expect(DeliveryState.pending.after(.outcomeUnknown) == nil)
    }
}

@Suite struct BouncePolicyTests {
    @Test func policyRefusalsAreNotBounces() {
        #expect(BouncePolicy.kind(code: 550, reply: "550 5.1.1 No such user") == .hard)
        #expect(BouncePolicy.kind(code: 552, reply: "552 5.2.2 Mailbox full") == .hard)
        #expect(BouncePolicy.kind(code: 451, reply: "451 4.2.2 Over quota (gave up after 9 tries)") == .soft)
        #expect(BouncePolicy.kind(code: 554, reply: "554 5.7.1 Message rejected as spam") == nil)
        #expect(BouncePolicy.kind(code: 550, reply: "550 5.7.26 DMARC policy") == nil)
        #expect(BouncePolicy.kind(code: 550, reply: "550-5.7.1 [192.0.2.1] Our system has detected that this message / 550 5.7.1 is likely spam") == nil, "multi-line")
        #expect(BouncePolicy.kind(code: nil, reply: "connection lost") == nil)
    }

    @Test func scoresAddUpAndGoStale() {
        let policy = BouncePolicy()
        let day: Int64 = 86400
        var score = policy.score(after: .hard, current: 0, lastBounce: nil, now: Timestamp(epochSeconds: 0))
        score = policy.score(after: .soft, current: score, lastBounce: Timestamp(epochSeconds: 0), now: Timestamp(epochSeconds: 30 * day))
        #expect(score == 1.5)
        #expect(!policy.isBounced(score))
        score = policy.score(after: .hard, current: score, lastBounce: Timestamp(epochSeconds: 30 * day), now: Timestamp(epochSeconds: 60 * day))
        score = policy.score(after: .soft, current: score, lastBounce: Timestamp(epochSeconds: 60 * day), now: Timestamp(epochSeconds: 61 * day))
        #expect(score == 3.0 && policy.isBounced(score))
        let stale = policy.score(after: .hard, current: 2.5, lastBounce: Timestamp(epochSeconds: 0), now: Timestamp(epochSeconds: 91 * day))
        #expect(stale == 1.0, "a score older than the stale period starts again")
    }
}

@Suite struct EnhancedStatusTests {
    @Test func theCodeIsReadFromSingleAndMultiLineReplies() {
        #expect(EnhancedStatus(reply: "550 5.1.1 no such user") == EnhancedStatus("5.1.1"))
        #expect(EnhancedStatus(reply: "550-5.7.1 [1.2.3.4] blocked / 550 5.7.1 see https://x")?.isPolicy == true)
        #expect(EnhancedStatus(reply: "550 rejected") == nil)
        #expect(EnhancedStatus("5.1") == nil && EnhancedStatus("5.x.1") == nil)
    }

    @Test func reportsAndRepliesCountBouncesAlike() {
        #expect(BouncePolicy.kind(action: "failed", status: "5.1.1") == .hard)
        #expect(BouncePolicy.kind(action: "failed", status: "4.4.7") == .soft)
        #expect(BouncePolicy.kind(action: "failed", status: "4.7.1") == nil, "a policy refusal, as for SMTP replies")
        #expect(BouncePolicy.kind(action: "delayed", status: "4.4.1") == nil)
        #expect(BouncePolicy.kind(code: 450, reply: "450 4.7.1 try later") == nil)
    }
}
