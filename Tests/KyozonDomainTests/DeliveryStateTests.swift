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
