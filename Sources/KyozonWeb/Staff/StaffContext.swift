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
public struct StaffContext: SessionRequestContext {
    public typealias Session = StaffSession
    public var coreContext: CoreRequestContextStorage
    public let sessions: SessionContext<StaffSession>
    /// The peer's IP address, for login rate limits and the audit log.
    public let client: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.sessions = .init()
        self.client = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
