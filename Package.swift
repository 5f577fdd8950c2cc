// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "kyozon",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kyozon", targets: ["kyozon"]),
        // Libraries for the benchmarks package (Benchmarks/).
        .library(name: "KyozonCollector", targets: ["KyozonCollector"]),
        .library(name: "KyozonStore", targets: ["KyozonStore"]),
        .library(name: "KyozonComposer", targets: ["KyozonComposer"]),
        .library(name: "KyozonSubscribers", targets: ["KyozonSubscribers"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/drmohundro/SWXMLHash", from: "8.1.1"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", from: "1.19.7"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    ],
    targets: [
        // libcurl, with typed wrappers for its variadic calls. Only KyozonSMTP imports it.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Items, prefectures, months, subscribers, delivery states: pure values, no I/O.
        .target(name: "KyozonDomain"),
        .target(name: "KyozonInliner"),
        .target(name: "KyozonJIS"),
        // The web pages readers use: subscribe (double opt-in), confirm, unsubscribe, one-click.
        .target(
            name: "KyozonWeb",
            dependencies: [
                "KyozonDomain", "KyozonStore", "KyozonTokens", "KyozonComposer", "KyozonCollector",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            // GRDB comes in through KyozonStore; without this its extensions (SQL literals,
            // `[SQL].joined`) take part in type inference here and turn page text into SQL.
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        // Mail that comes back: delivery reports (RFC 3464) and unsubscribe requests, told apart.
        .target(name: "KyozonInbound"),
        // Submission files -> validated items and rejects with reasons.
        .target(
            name: "KyozonCollector",
            dependencies: [
                "KyozonDomain", "KyozonJIS", .product(name: "Crypto", package: "swift-crypto"), .product(name: "CSV", package: "CSV.swift"),
                "SWXMLHash",
            ]
        ),
        // HTTP(S) GET through libcurl, with conditional requests: how feeds are pulled.
        .target(name: "KyozonHTTP", dependencies: ["CCurl"]),
        // Items -> the issue (HTML, text) -> one MIME message per subscriber.
        .target(
            name: "KyozonComposer",
            dependencies: [
                "KyozonDomain", "KyozonInliner", "KyozonJIS",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Subscriber spreadsheets (CSV) -> rows to import, bad rows by line.
        .target(name: "KyozonSubscribers", dependencies: ["KyozonDomain", "KyozonJIS", .product(name: "CSV", package: "CSV.swift")]),
        // HMAC-signed link tokens (unsubscribe, later confirm).
        .target(name: "KyozonTokens", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // DKIM signatures (RFC 6376) with swift-crypto.
        .target(
            name: "KyozonDKIM",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // The send run: claims deliveries from a ledger, hands messages to a transport.
        .target(name: "KyozonMailer", dependencies: ["KyozonDomain"]),
        // SMTP through libcurl: the one module that touches CCurl.
        .target(name: "KyozonSMTP", dependencies: ["CCurl", "KyozonMailer", "KyozonDomain"]),
        // The SQLite store through GRDB: the one module that imports GRDB.
        .target(
            name: "KyozonStore",
            dependencies: ["KyozonDomain", "KyozonCollector", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // kyozon.toml and Subscribers/lists.toml.
        .target(name: "KyozonConfig", dependencies: ["KyozonDomain", "TOMLKit"]),
        // The command line: thin commands wiring the modules together.
        .executableTarget(
            name: "kyozon",
            dependencies: [
                "KyozonDomain", "KyozonCollector", "KyozonComposer", "KyozonMailer", "KyozonSMTP",
                "KyozonStore", "KyozonConfig", "KyozonTokens", "KyozonSubscribers", "KyozonHTTP", "KyozonDKIM", "KyozonInbound", "KyozonWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // Real servers and fixtures shared by the tests.
        .target(name: "KyozonTestSupport", path: "Tests/Support", exclude: [
                "smtp_capture.py", "mail_check.py", "http_feeds.py", "dkim_check.py", "eaw_table.py", "validate_html.py",
                "screenshot.py", "Fixtures",
            ]),
        .testTarget(name: "KyozonDomainTests", dependencies: ["KyozonDomain"]),
        .testTarget(name: "KyozonInlinerTests", dependencies: ["KyozonInliner"]),
        .testTarget(name: "KyozonJISTests", dependencies: ["KyozonJIS"]),
        .testTarget(
            name: "KyozonWebTests",
            dependencies: ["KyozonWeb", "KyozonTestSupport", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
        .testTarget(name: "KyozonInboundTests", dependencies: ["KyozonInbound", "KyozonDomain", "KyozonTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "KyozonCollectorTests", dependencies: ["KyozonCollector", "KyozonTestSupport"]),
        .testTarget(name: "KyozonHTTPTests", dependencies: ["KyozonHTTP", "KyozonTestSupport"]),
        .testTarget(
            name: "KyozonComposerTests",
            dependencies: [
                "KyozonComposer", "KyozonTestSupport", .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(name: "KyozonMailerTests", dependencies: ["KyozonMailer"]),
        .testTarget(name: "KyozonSMTPTests", dependencies: ["KyozonSMTP", "KyozonTestSupport"]),
        .testTarget(name: "KyozonStoreTests", dependencies: ["KyozonStore", "KyozonTestSupport"]),
        .testTarget(name: "KyozonSubscribersTests", dependencies: ["KyozonSubscribers"]),
        .testTarget(name: "KyozonDKIMTests", dependencies: ["KyozonDKIM", "KyozonTestSupport"]),
        .testTarget(name: "KyozonTokensTests", dependencies: ["KyozonTokens"]),
        .testTarget(name: "KyozonConfigTests", dependencies: ["KyozonConfig", "KyozonDomain", "KyozonTestSupport"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["kyozon", "KyozonTestSupport", .product(name: "HummingbirdTesting", package: "hummingbird")]),
    ],
    swiftLanguageModes: [.v6]
)
