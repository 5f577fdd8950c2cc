/// Facts about host names that settings checks need.
public enum NetworkHost {
    /// 127.0.0.0/8, ::1 and localhost: traffic that never leaves the machine.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// The host of a `scheme://[user@]host[:port][/path]` URL, brackets of IPv6 removed.
    public static func host(ofURL url: String) -> String? {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        var rest = url[schemeEnd.upperBound...]
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            return String(rest[rest.index(after: rest.startIndex)..<close])
        }
        let host = String(rest.split(separator: ":").first ?? "")
        return host.isEmpty ? nil : host
    }
}
