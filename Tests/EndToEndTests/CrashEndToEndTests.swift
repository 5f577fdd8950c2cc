import Foundation
import KyozonDomain
import KyozonStore
import KyozonTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kill -9` at random moments while sending 2,000 messages, resuming each time: the server's
/// own record and the ledger must agree that nobody got two copies and nobody was skipped,
/// except rows the ledger admits are `uncertain`, at most one batch per kill.
@Suite struct CrashEndToEndTests {
    static let subscribers = 2000
    static let kills = 20
    static let batchSize = 16
    static let connections = 4
    /// The README's crash window: two batches and one message per connection.
    static let window = 2 * batchSize + connections

    @Test func killedAtRandomTwentyTimesNobodyGetsTwoCopies() throws {
        let data = try TemporaryDirectory("kyozon-crash")
        let server = try SMTPCaptureServer()
        try data.write("kyozon.toml", """
            [smtp]
            url = "\(server.url)"
            tls = "off"

            [send]
            batch_size = \(Self.batchSize)
            connections = \(Self.connections)
            """)
        let environment = [
            "KYOZON_DATA_DIR": data.path, "KYOZON_NOW": "2026-12-05T09:00:00+09:00",
            "KYOZON_TOKEN_KEY": "crash-test-key-of-thirty-two-bytes!",
        ]
        func kyozon(_ arguments: String...) throws -> ProcessOutput {
            try ProcessRunner.run(ProcessRunner.kyozonBinary, arguments, environment: environment, currentDirectory: PackagePaths.root)
        }
        var csv = "email,name,organization,prefecture,lists\n"
        for n in 1...Self.subscribers { csv += "s\(n)@office\(n % 47).example,職員 \(n),東京事務所,\(n % 47 + 1),kyoei\n" }
        #expect(try kyozon("lists", "sync").status == 0)
        #expect(try kyozon("subscribers", "import", try data.write("s.csv", csv)).status == 0)
        #expect(try kyozon("collect", PackagePaths.path("scripts/samples/submissions-2026-11.json")).status == 0)
        #expect(try kyozon("issue", "approve", "--month", "2026-11", "--list", "kyoei").status == 0)

        var generator = SeededRandom(seed: 20_261_205)
        var killed = 0
        var finished = false
        // Each round: start a sender, let it get a random distance further, then SIGKILL it.
        // Bounded: at most `kills` rounds, each waiting at most 60 s for progress.
        while killed < Self.kills && !finished {
            let before = try server.messageCount()
            let target = before + Int.random(in: 10...120, using: &generator)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ProcessRunner.kyozonBinary)
            process.arguments = ["send", "--month", "2026-11", "--list", "kyoei"]
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.currentDirectoryURL = URL(fileURLWithPath: PackagePaths.root)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning, try server.messageCount() < target, Date() < deadline {
                usleep(2000)
            }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                killed += 1
            } else {
                finished = true
            }
        }
        #expect(killed == Self.kills, "the sender was killed \(Self.kills) times before finishing")

        // The last run resumes and finishes; uncertain rows make it exit 2.
        let last = try kyozon("send", "--month", "2026-11", "--list", "kyoei")

        let copies = Dictionary(grouping: try server.messages().flatMap(\.recipients), by: { $0 }).mapValues(\.count)
        let store = try Store(path: data.file("kyozon.sqlite"))
        let rows = try store.deliveries(month: IssueMonth("2026-11")!)
        #expect(rows.count == Self.subscribers)
        var uncertain = 0
        for row in rows {
            let received = copies[row.email] ?? 0
            switch row.state {
            case .sent:
                #expect(received == 1, "\(row.email) is sent and must have exactly one copy, has \(received)")
            case .uncertain:
                uncertain += 1
                #expect(received <= 1, "\(row.email) is uncertain and must have at most one copy, has \(received)")
            default:
                Issue.record("\(row.email) ended \(row.state.rawValue)")
            }
        }
        // Exit 2 exactly when uncertain rows remain for staff to decide on.
        #expect(last.status == (uncertain > 0 ? 2 : 0), "\(last.stdout)\(last.stderr)")
        let uncertainReceived = rows.filter { $0.state == .uncertain && copies[$0.email] != nil }.count
        print("crash test: \(killed) kills, \(uncertain) uncertain rows, \(uncertainReceived) of them reached the server")
        #expect(copies.values.allSatisfy { $0 == 1 }, "nobody has two copies")
        #expect(uncertain <= killed * Self.window, "\(uncertain) uncertain after \(killed) kills, window \(Self.window)")
        // Every subscriber either has the issue or is listed for staff to decide.
        #expect(rows.filter { $0.state == .sent }.count + uncertain == Self.subscribers)
    }
}
