import Hummingbird
import NIOCore

/// The request context of kyozon's pages: Hummingbird's basics and the client's address,
/// for rate limits.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address, as text ("unknown" when the channel has none).
    public let client: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.client = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
