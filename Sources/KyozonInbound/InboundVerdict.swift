/// What an incoming mail is, as far as kyozon is concerned.
public enum InboundVerdict: Sendable, Equatable {
    /// A delivery report about one of our messages, tied to its delivery by the VERP token
    /// (`bounces+TOKEN@domain`) it was addressed to.
    case bounce(token: String, recipient: DeliveryReport.Recipient)
    /// A report that a message is only delayed: nothing to count yet.
    case delayed(token: String, recipient: DeliveryReport.Recipient)
    /// A reader asked by mail (the List-Unsubscribe `mailto:`) to stop getting the issue.
    case unsubscribe(from: String, list: String?)
    /// Anything else: kept and listed for staff, never dropped.
    case unrecognised(reason: String)

    /// `bounce`, `delayed`, `unsubscribe` or `unrecognised`.
    public var kind: String {
        switch self {
        case .bounce: "bounce"
        case .delayed: "delayed"
        case .unsubscribe: "unsubscribe"
        case .unrecognised: "unrecognised"
        }
    }
}
