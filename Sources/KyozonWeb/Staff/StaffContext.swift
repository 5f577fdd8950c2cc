import Hummingbird
import HummingbirdAuth
import NIOCore

/// A logged-in member of staff, as the session keeps them.
public struct StaffSession: Codable, Sendable {
    public let name: String
    /// The CSRF token every staff form carries, made at login.
    public let csrf: String
}

/// The request context of the staff pages: sessions (hummingbird-auth) and the client's address.
public struct StaffContext: SessionRequestContext, ClientAddressContext {
    public typealias Session = StaffSession
    public var coreContext: CoreRequestContextStorage
    public let sessions: SessionContext<StaffSession>
    /// The client's IP address (behind a trusted proxy, the forwarded client's), for login rate
    /// limits and the audit log.
    public var client: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.sessions = .init()
        self.client = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
