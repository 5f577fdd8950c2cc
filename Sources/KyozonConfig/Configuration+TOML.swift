import Foundation
import TOMLKit
import KyozonDomain

extension Configuration {
    static let sections: [String: [String]] = [
        "smtp": ["url", "tls", "username", "password_file", "ca_file", "connect_timeout", "response_timeout", "helo_name"],
        "sender": ["name", "address", "envelope_from", "verp", "postal_address", "contact", "unsubscribe_address"],
        "site": ["base_url", "portal_url", "trusted_proxies"],
        "templates": ["dir"],
        "send": ["batch_size", "retry_delay", "retry_for", "wait", "connections", "per_second", "per_minute"],
        "issue": ["send_day", "dates", "late_days"],
        "staff": ["notify", "listen", "accounts"],
        "bounce": ["hard", "soft", "threshold", "stale_days"],
        "dkim": ["key_file", "selector", "domain"],
        "collect": ["inbox"],
        "feeds": ["url", "name", "prefecture", "category"],
    ]

    /// Reads `kyozon.toml` text. Unknown sections and keys are errors (a typo should not
    /// silently fall back to a default); addresses and URLs are checked here.
    public init(toml text: String, file: String) throws(ConfigError) {
        self.init()
        let reader = try TOMLReader(file: file, text: text)
        for key in reader.root.keys where Self.sections[key] == nil {
            throw ConfigError(
                file: file, line: reader.line(ofSection: key), key: "[\(key)]",
                message: "unknown section; known sections: \(Self.sections.keys.sorted().joined(separator: ", "))")
        }
        let smtp = try reader.section("smtp", known: Self.sections["smtp"]!)
        if let url = try reader.string(smtp, "url", section: "smtp") { smtpURL = url }
        if let tls = try reader.string(smtp, "tls", section: "smtp") {
            guard let mode = TLSMode(rawValue: tls) else {
                throw reader.fail("smtp", "tls", "\"\(tls)\" is not accepted; use \"required\" or \"off\" (off: loopback relays only)")
            }
            smtpTLS = mode
        }
        let host = NetworkHost.host(ofURL: smtpURL)
        guard smtpURL.hasPrefix("smtp://") || smtpURL.hasPrefix("smtps://"), let host else {
            throw reader.fail("smtp", "url", "\"\(smtpURL)\" is not accepted; write smtp://HOST:PORT (STARTTLS) or smtps://HOST:PORT")
        }
        if smtpTLS == .off, !NetworkHost.isLoopback(host), smtpURL.hasPrefix("smtp://") {
            throw reader.fail("smtp", "tls", "\"off\" is only allowed for a relay on loopback (127.0.0.1, ::1, localhost), not \(host); use \"required\"")
        }
        smtpUsername = try reader.string(smtp, "username", section: "smtp") ?? smtpUsername
        smtpPasswordFile = try reader.string(smtp, "password_file", section: "smtp") ?? smtpPasswordFile
        smtpCAFile = try reader.string(smtp, "ca_file", section: "smtp") ?? smtpCAFile
        smtpHeloName = try reader.string(smtp, "helo_name", section: "smtp") ?? smtpHeloName
        smtpConnectTimeout =
            try reader.int(smtp, "connect_timeout", section: "smtp", range: 1...600) ?? smtpConnectTimeout
        smtpResponseTimeout =
            try reader.int(smtp, "response_timeout", section: "smtp", range: 1...3600) ?? smtpResponseTimeout

        let sender = try reader.section("sender", known: Self.sections["sender"]!)
        senderName = try reader.string(sender, "name", section: "sender") ?? senderName
        senderAddress = try address(reader, sender, "address") ?? senderAddress
        envelopeFrom = try address(reader, sender, "envelope_from") ?? envelopeFrom
        if let value = sender?["verp"] {
            guard let flag = value.bool else { throw reader.fail("sender", "verp", "must be true or false") }
            verp = flag
        }
        postalAddress = try reader.string(sender, "postal_address", section: "sender") ?? postalAddress
        contact = try reader.string(sender, "contact", section: "sender") ?? contact
        if let unsubscribe = try reader.string(sender, "unsubscribe_address", section: "sender") {
            unsubscribeAddress = unsubscribe.isEmpty ? nil : try address(reader, sender, "unsubscribe_address")
        }

        let site = try reader.section("site", known: Self.sections["site"]!)
        baseURL = try url(reader, site, "base_url") ?? baseURL
        if let value = site?["trusted_proxies"] {
            let addresses = value.array?.compactMap(\.string) ?? []
            guard value.array?.count == addresses.count,
                addresses.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" } })
            else { throw reader.fail("site", "trusted_proxies", "must be a list of IP addresses, such as [\"127.0.0.1\", \"10.0.0.5\"]") }
            trustedProxies = addresses
        }
        portalURL = try url(reader, site, "portal_url") ?? portalURL

        let templates = try reader.section("templates", known: Self.sections["templates"]!)
        templatesDirectory = try reader.string(templates, "dir", section: "templates") ?? templatesDirectory

        let issue = try reader.section("issue", known: Self.sections["issue"]!)
        sendDay = try reader.int(issue, "send_day", section: "issue", range: 1...28) ?? sendDay
        if let dates = try reader.string(issue, "dates", section: "issue") {
            guard dates == "western" || dates == "japanese" else {
                throw reader.fail("issue", "dates", "\"\(dates)\" is not accepted; use \"western\" (2026年12月5日) or \"japanese\" (令和8年12月5日)")
            }
            japaneseEra = dates == "japanese"
        }

        lateDays = try reader.int(issue, "late_days", section: "issue", range: 0...20) ?? lateDays

        let staff = try reader.section("staff", known: Self.sections["staff"]!)
        if let value = staff?["notify"] {
            guard let array = value.array else { throw reader.fail("staff", "notify", "must be a list of addresses, such as [\"kyoei@metro.tokyo.lg.jp\"]") }
            staffNotify = try array.map { (item) throws(ConfigError) -> String in
                guard let text = item.string else { throw reader.fail("staff", "notify", "must be a list of addresses in double quotes") }
                do { return try EmailAddress(text).value } catch {
                    throw reader.fail("staff", "notify", "\"\(text)\" \(error); accepted: \(EmailAddress.acceptedForms)")
                }
            }
        }
        if let listen = try reader.string(staff, "listen", section: "staff") {
            guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (1...65535).contains(port),
                !listen[..<colon].isEmpty
            else { throw reader.fail("staff", "listen", "\"\(listen)\" is not accepted; give HOST:PORT, such as \"127.0.0.1:8081\"") }
            staffListen = listen
        }
        if let value = staff?["accounts"] {
            guard let table = value.table else {
                throw reader.fail("staff", "accounts", "must be a table of name = \"bcrypt hash\" (see `kyozon staff hash-password`)")
            }
            for name in table.keys {
                guard let hash = table[name]?.string, hash.hasPrefix("$2"), hash.count == 60 else {
                    throw reader.fail("staff", "accounts", "the account \"\(name)\" needs a bcrypt hash (60 characters from `kyozon staff hash-password`), not a password")
                }
                staffAccounts[name] = hash
            }
        }

        let collect = try reader.section("collect", known: Self.sections["collect"]!)
        inbox = try reader.string(collect, "inbox", section: "collect") ?? inbox
        feeds = try Self.feeds(reader)

        let dkim = try reader.section("dkim", known: Self.sections["dkim"]!)
        dkimKeyFile = try reader.string(dkim, "key_file", section: "dkim") ?? dkimKeyFile
        dkimSelector = try reader.string(dkim, "selector", section: "dkim") ?? dkimSelector
        dkimDomain = try reader.string(dkim, "domain", section: "dkim") ?? dkimDomain
        if (dkimKeyFile == nil) != (dkimSelector == nil) {
            throw reader.fail("dkim", dkimKeyFile == nil ? "key_file" : "selector", "key_file and selector go together: give both to sign, or neither to leave signing to the relay")
        }

        let bounce = try reader.section("bounce", known: Self.sections["bounce"]!)
        bounces.hard = try reader.double(bounce, "hard", section: "bounce", range: 0...100) ?? bounces.hard
        bounces.soft = try reader.double(bounce, "soft", section: "bounce", range: 0...100) ?? bounces.soft
        bounces.threshold = try reader.double(bounce, "threshold", section: "bounce", range: 0.1...1000) ?? bounces.threshold
        if let days = try reader.int(bounce, "stale_days", section: "bounce", range: 1...3650) {
            bounces.staleSeconds = Int64(days) * 86400
        }

        let send = try reader.section("send", known: Self.sections["send"]!)
        batchSize = try reader.int(send, "batch_size", section: "send", range: 1...10000) ?? batchSize
        retryDelay = try reader.int(send, "retry_delay", section: "send", range: 1...86400) ?? retryDelay
        retryFor = try reader.int(send, "retry_for", section: "send", range: 60...(30 * 86400)) ?? retryFor
        waitWithinRun = try reader.int(send, "wait", section: "send", range: 0...86400) ?? waitWithinRun
        connections = try reader.int(send, "connections", section: "send", range: 1...32) ?? connections
        perMinute = try reader.int(send, "per_minute", section: "send", range: 1...1_000_000) ?? perMinute
        if let value = send?["per_second"] {
            guard let rate = value.double ?? value.int.map(Double.init), rate > 0, rate <= 100_000 else {
                throw reader.fail("send", "per_second", "must be a number of messages a second, above 0")
            }
            perSecond = rate
        }
    }

    private func address(_ reader: TOMLReader, _ table: TOMLKit.TOMLTable?, _ key: String) throws(ConfigError) -> String? {
        guard let text = try reader.string(table, key, section: "sender") else { return nil }
        do {
            return try EmailAddress(text).value
        } catch {
            throw reader.fail("sender", key, "\"\(text)\" \(error); accepted: \(EmailAddress.acceptedForms)")
        }
    }

    private func url(_ reader: TOMLReader, _ table: TOMLKit.TOMLTable?, _ key: String) throws(ConfigError) -> String? {
        guard let text = try reader.string(table, key, section: "site") else { return nil }
        guard let parts = URLComponents(string: text), ["http", "https"].contains(parts.scheme ?? ""), parts.host != nil
        else { throw reader.fail("site", key, "\"\(text)\" is not accepted; give an http:// or https:// URL") }
        var trimmed = text
        while trimmed.hasSuffix("/") && key == "base_url" { trimmed.removeLast() }
        return trimmed
    }

    /// `[[feeds]]` tables: each needs url, name, prefecture and category.
    private static func feeds(_ reader: TOMLReader) throws(ConfigError) -> [Feed] {
        guard let value = reader.root["feeds"] else { return [] }
        guard let array = value.array else {
            throw ConfigError(file: reader.file, line: nil, key: "feeds", message: "must be an array of tables: [[feeds]]")
        }
        var feeds: [Feed] = []
        for (index, element) in array.enumerated() {
            let key = "[[feeds]] #\(index + 1)"
            guard let table = element.table else {
                throw ConfigError(file: reader.file, line: nil, key: key, message: "must be a table")
            }
            for name in table.keys where !sections["feeds"]!.contains(name) {
                throw ConfigError(
                    file: reader.file, line: nil, key: "\(key) \(name)",
                    message: "unknown key; known keys in [[feeds]]: url, name, prefecture, category")
            }
            var values: [String: String] = [:]
            for name in sections["feeds"]! {
                guard let text = table[name]?.string, !text.isEmpty else {
                    throw ConfigError(
                        file: reader.file, line: nil, key: "\(key) \(name)",
                        message: "is required: url (http or https), name (the submitting office), prefecture, category")
                }
                values[name] = text
            }
            guard let url = URLComponents(string: values["url"]!), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ConfigError(file: reader.file, line: nil, key: "\(key) url", message: "\"\(values["url"]!)\" is not an http:// or https:// URL")
            }
            guard Prefecture.lookup(values["prefecture"]!) != nil else {
                throw ConfigError(
                    file: reader.file, line: nil, key: "\(key) prefecture",
                    message: "\"\(values["prefecture"]!)\" is not a prefecture; accepted: \(Prefecture.acceptedForms)")
            }
            guard KyozonDomain.Category(codeOrLabel: values["category"]!) != nil else {
                throw ConfigError(
                    file: reader.file, line: nil, key: "\(key) category",
                    message: "\"\(values["category"]!)\" is not a category; accepted: \(KyozonDomain.Category.acceptedValues)")
            }
            feeds.append(Feed(url: values["url"]!, name: values["name"]!, prefecture: values["prefecture"]!, category: values["category"]!))
        }
        return feeds
    }
}
