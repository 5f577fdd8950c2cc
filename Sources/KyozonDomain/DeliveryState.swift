/// The life of one (issue, subscriber) delivery, as a pure state machine.
///
/// ```
/// pending ──claim──> sending ──> sent | deferred | failed
///    │                  │            deferred ──claim──> sending
///    └──> skipped       └──(found by a later run)──> uncertain ──resend──> sending
/// ```
/// `sending` is committed before the message reaches the SMTP transport, so a
/// row still `sending` after a crash may or may not have been accepted by the
/// server: it becomes `uncertain` and is only sent again on purpose.
public enum DeliveryState: String, Sendable, CaseIterable {
    case pending
    case sending
    case sent
    case deferred
    case failed
    case skipped
    case uncertain

    public enum Event: Sendable, Hashable {
        case claim
        case accepted
        case temporaryFailure
        case permanentFailure
        /// The relay failed before the message was handed over: the row goes back to the queue.
        case released
        /// The connection was lost after the message body went out: the server may have it.
        case outcomeUnknown
        case skip
        case foundStale
        case resendOnPurpose
    }

    /// The next state, or nil when the event is not allowed in this state.
    public func after(_ event: Event) -> DeliveryState? {
        switch (self, event) {
        case (.pending, .claim), (.deferred, .claim): .sending
        case (.uncertain, .resendOnPurpose): .sending
        case (.sending, .accepted): .sent
        case (.sending, .temporaryFailure): .deferred
        case (.sending, .permanentFailure): .failed
        case (.sending, .released): .pending
        case (.sending, .foundStale), (.sending, .outcomeUnknown): .uncertain
        case (.pending, .skip), (.deferred, .skip), (.sending, .skip): .skipped
        default: nil
        }
    }

    /// States from which no run will send again by itself.
    public var isFinal: Bool {
        switch self {
        case .sent, .failed, .skipped, .uncertain: true
        case .pending, .sending, .deferred: false
        }
    }
}
