import Hummingbird
import NIOCore

/// The request context of kyozon's pages: Hummingbird's basics and the client's address,
/// for rate limits.
public struct WebContext: ClientAddressContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address, as text ("unknown" when the channel has none); behind a trusted
    /// proxy, the forwarded client's.
    public var client: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.client = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
