import KyozonDomain
import Testing

@testable import KyozonConfig

@Suite struct ConfigurationTests {
    @Test func readsEveryKey() throws {
        let text = """
            [smtp]
            url = "smtp://relay.example.lg.jp:587"
            tls = "required"
            username = "kyozon"
            password_file = "/etc/kyozon/smtp-password"
            ca_file = "/etc/kyozon/ca.pem"
            connect_timeout = 10
            response_timeout = 120
            helo_name = "kyozon.example.lg.jp"

            [sender]
            name = "東京都 政策企画局"
            address = "kyoei@example.lg.jp"
            envelope_from = "bounces@example.lg.jp"
            postal_address = "〒163-8001 東京都新宿区西新宿二丁目8番1号"
            contact = "03-5321-1111"
            unsubscribe_address = ""

            [site]
            base_url = "https://kyozon.example.lg.jp/"
            portal_url = "https://www.kyozon-kyoei.metro.tokyo.lg.jp/"

            [templates]
            dir = "/srv/kyozon/Templates"

            [send]
            batch_size = 50
            retry_delay = 900

            [issue]
            dates = "japanese"

            [bounce]
            hard = 2
            soft = 0.25
            threshold = 4.5
            stale_days = 30
            """
        let c = try Configuration(toml: text, file: "kyozon.toml")
        #expect(c.smtpURL == "smtp://relay.example.lg.jp:587")
        #expect(c.smtpTLS == .required)
        #expect(c.smtpUsername == "kyozon")
        #expect(c.smtpPasswordFile == "/etc/kyozon/smtp-password")
        #expect(c.smtpCAFile == "/etc/kyozon/ca.pem")
        #expect(c.smtpConnectTimeout == 10 && c.smtpResponseTimeout == 120)
        #expect(c.smtpHeloName == "kyozon.example.lg.jp")
        #expect(c.senderName == "東京都 政策企画局")
        #expect(c.senderAddress == "kyoei@example.lg.jp" && c.envelopeFrom == "bounces@example.lg.jp")
        #expect(c.unsubscribeAddress == nil, "an empty value turns mailto unsubscribing off")
        #expect(c.baseURL == "https://kyozon.example.lg.jp", "trailing slash dropped")
        #expect(c.templatesDirectory == "/srv/kyozon/Templates")
        #expect(c.batchSize == 50 && c.retryDelay == 900)
        #expect(c.bounces.hard == 2 && c.bounces.soft == 0.25 && c.bounces.threshold == 4.5)
        #expect(c.bounces.staleSeconds == 30 * 86400)
        #expect(c.japaneseEra)
    }

    @Test func staffSettingsAreRead() throws {
        let hash = "$2b$10$" + String(repeating: "a", count: 53)
        let c = try Configuration(
            toml: "[staff]\nnotify = [\"kyoei@metro.tokyo.lg.jp\"]\nlisten = \"0.0.0.0:9000\"\n\n[staff.accounts]\nsato = \"\(hash)\"\n\n[issue]\nlate_days = 5\n",
            file: "k.toml")
        #expect(c.staffNotify == ["kyoei@metro.tokyo.lg.jp"] && c.staffListen == "0.0.0.0:9000" && c.staffAccounts == ["sato": hash])
        #expect(c.lateDays == 5)
    }

    @Test func anEmptyFileMeansTheDefaults() throws {
        #expect(try Configuration(toml: "", file: "k.toml") == Configuration())
    }

    @Test func aTypoIsAnErrorNamingFileLineAndKey() {
        let text = "[smtp]\nurl = \"smtp://x:25\"\nurll = \"smtp://y\"\n"
        #expect(throws: ConfigError(file: "k.toml", line: 3, key: "[smtp] urll", message: "unknown key; known keys in [smtp]: url, tls, username, password_file, ca_file, connect_timeout, response_timeout, helo_name")) {
            try Configuration(toml: text, file: "k.toml")
        }
    }

    @Test(arguments: [
        ("[smtp]\ntls = \"maybe\"\n", "k.toml:2: [smtp] tls: \"maybe\" is not accepted; use \"required\" or \"off\" (off: loopback relays only)"),
        ("[sender]\naddress = \"not an address\"\n", "k.toml:2: [sender] address: \"not an address\" contains a space, which is not allowed"),
        ("[site]\nbase_url = \"ftp://x\"\n", "k.toml:2: [site] base_url: \"ftp://x\" is not accepted; give an http:// or https:// URL"),
        ("[send]\nbatch_size = 0\n", "k.toml:2: [send] batch_size: must be a whole number from 1 to 10000"),
        ("[smtp]\nurl = 25\n", "k.toml:2: [smtp] url: must be a string in double quotes"),
        ("[issue]\ndates = \"meiji\"\n", "k.toml:2: [issue] dates: \"meiji\" is not accepted; use \"western\" (2026年12月5日) or \"japanese\" (令和8年12月5日)"),
        ("[bounce]\nthreshold = \"three\"\n", "k.toml:2: [bounce] threshold: must be a number from 0.1 to 1000.0"),
        ("[mail]\n", "k.toml:1: [mail]: unknown section; known sections: bounce, collect, dkim, feeds, issue, send, sender, site, smtp, staff, templates"),
        ("[staff]\nnotify = \"team@x.jp\"\n", "k.toml:2: [staff] notify: must be a list of addresses, such as [\"kyoei@metro.tokyo.lg.jp\"]"),
        ("[staff]\nnotify = [\"team at x\"]\n", "k.toml:2: [staff] notify: \"team at x\""),
        ("[staff]\nlisten = \"8081\"\n", "k.toml:2: [staff] listen: \"8081\" is not accepted; give HOST:PORT, such as \"127.0.0.1:8081\""),
        ("[staff.accounts]\nsato = \"password123\"\n", "k.toml: [staff] accounts: the account \"sato\" needs a bcrypt hash (60 characters from `kyozon staff hash-password`), not a password"),
        ("[issue]\nlate_days = 40\n", "k.toml:2: [issue] late_days: must be a whole number from 0 to 20"),
        ("[smtp\n", "k.toml:1: not valid TOML"),
    ])
    func badValuesSayWhatIsAccepted(text: String, expected: String) {
        do {
            _ = try Configuration(toml: text, file: "k.toml")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }

    @Test func listsFileDefinesLists() throws {
        let lists = try ListsFile.parse(
            "[lists.kyoei]\nname = \"都道府県\"\ndescription = \"毎月\"\n[lists.municipal]\nname = \"市区町村\"\n", file: "lists.toml")
        #expect(lists.map(\.id) == ["kyoei", "municipal"])
        #expect(lists[0].name == "都道府県" && lists[0].description == "毎月" && lists[1].description == "")
        #expect(lists.allSatisfy { $0.isPublic && $0.allowedDomains.isEmpty }, "public and open to anyone unless said")
    }

    @Test func whoMaySubscribeByMailDomain() throws {
        let list = try ListsFile.parse(
            "[lists.kyoei]\nname = \"都道府県\"\npublic = false\nallow = [\"metro.tokyo.lg.jp\", \"*.lg.jp\", \"pref.*.jp\"]\n",
            file: "lists.toml")[0]
        #expect(!list.isPublic)
        let admitted = ["a@metro.tokyo.lg.jp", "b@city.kamiyama.lg.jp", "c@x.y.city.lg.jp", "d@pref.hokkaido.jp", "e@METRO.TOKYO.LG.JP"]
        let refused = ["f@lg.jp", "g@pref.hokkaido.lg.example", "h@pref.jp", "i@sub.pref.hokkaido.jp", "j@gmail.com", "k@metro.tokyo.lg.jp.evil.example"]
        for address in admitted { #expect(list.admits(try EmailAddress(address)), "\(address)") }
        for address in refused { #expect(!list.admits(try EmailAddress(address)), "\(address)") }
    }

    @Test func theShippedListsFileParses() throws {
        let text = try String(contentsOfFile: KyozonTestSupport.PackagePaths.path("Subscribers/lists.toml"), encoding: .utf8)
        #expect(try ListsFile.parse(text, file: "lists.toml").count >= 1)
    }

    @Test(arguments: [
        ("[lists.Kyoei]\nname = \"x\"\n", "lists.toml:1: [lists.Kyoei]: \"Kyoei\" is not a usable list id"),
        ("[lists.kyoei]\ndescription = \"x\"\n", "lists.toml:1: [lists.kyoei] name: is required"),
        ("[lists.kyoei]\nname = \"x\"\ntitle = \"y\"\n", "lists.toml:3: [lists.kyoei] title: unknown key"),
        ("[list.kyoei]\nname = \"x\"\n", "lists.toml: [list]: unknown table"),
        ("", "lists.toml: defines no list"),
        ("[lists.kyoei]\nname = \"x\"\nallow = [\"*.lg.jp\", \"gmail .com\"]\n", "lists.toml:3: [lists.kyoei] allow: \"gmail .com\" is not a mail domain pattern"),
        ("[lists.kyoei]\nname = \"x\"\npublic = \"yes\"\n", "lists.toml:3: [lists.kyoei] public: must be true or false"),
    ])
    func badListsFilesAreExplained(text: String, expected: String) {
        do {
            _ = try ListsFile.parse(text, file: "lists.toml")
            Issue.record("accepted")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }
}

import KyozonTestSupport
