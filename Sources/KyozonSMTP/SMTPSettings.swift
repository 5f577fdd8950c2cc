import Foundation
import KyozonDomain

/// How to reach the SMTP relay.
public struct SMTPSettings: Sendable, Equatable {
    /// `smtp://host:port` (STARTTLS) or `smtps://host:port` (TLS from the first byte).
    public var url: String
    /// Whether an `smtp://` connection must upgrade with STARTTLS. Turning it off is only
    /// allowed for a relay on loopback, such as a local MTA or a test server.
    public var requireTLS: Bool
    public var username: String?
    public var password: String?
    /// A CA bundle for an internal relay whose certificate no public CA signed.
    public var caFile: String?
    /// Seconds to wait for the TCP (and TLS) connection.
    public var connectTimeout: Int
    /// Seconds to wait for any one server reply (RFC 5321 §4.5.3.2 suggests minutes).
    public var responseTimeout: Int
    /// The name given in EHLO.
    public var heloName: String

    public init(
        url: String, requireTLS: Bool = true, username: String? = nil, password: String? = nil, caFile: String? = nil,
        connectTimeout: Int = 30, responseTimeout: Int = 300, heloName: String = "localhost"
    ) {
        self.url = url
        self.requireTLS = requireTLS
        self.username = username
        self.password = password
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.responseTimeout = responseTimeout
        self.heloName = heloName
    }

    /// The scheme and host of `url`, or an error naming what is accepted.
    func validated() throws(SMTPSetupError) -> (scheme: String, host: String) {
        guard let schemeEnd = url.range(of: "://"), let host = NetworkHost.host(ofURL: url) else { throw .badURL(url) }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "smtp" || scheme == "smtps" else { throw .badURL(url) }
        if scheme == "smtp", !requireTLS, !NetworkHost.isLoopback(host) { throw .plainTextToRemote(host) }
        return (scheme, host)
    }

}

/// Settings the transport refuses before connecting.
public enum SMTPSetupError: Error, CustomStringConvertible, Equatable {
    case badURL(String)
    case plainTextToRemote(String)

    public var description: String {
        switch self {
        case .badURL(let url):
            "SMTP URL \"\(url)\" is not accepted; write smtp://HOST:PORT (STARTTLS) or smtps://HOST:PORT"
        case .plainTextToRemote(let host):
            "SMTP relay \(host) is not on loopback, so STARTTLS is required; set smtp.tls = \"required\" (only 127.0.0.1, ::1 and localhost may be used without TLS)"
        }
    }
}
