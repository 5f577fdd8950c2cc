import ArgumentParser
import Foundation
import Hummingbird
import KyozonComposer
import KyozonDomain
import KyozonWeb
import Logging
import ServiceLifecycle

/// `kyozon serve`: the pages readers and prefectures use, and on a listener of their own the
/// staff pages.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the readers' pages, the submission form and API, the web edition, and the staff pages.",
        discussion: """
            Readers' pages (subscribe, confirm, preferences, unsubscribe, one-click), the prefectures' submission form and API, and the web edition are on --host/--port; put them behind the office's HTTPS reverse proxy (site.base_url is the address readers see).

            The staff pages (/staff: editing, preview, test send, approval, audit log) are on a listener of their own, staff.listen in kyozon.toml (127.0.0.1:8081 unless set otherwise), served only when staff.accounts holds at least one login (`kyozon staff hash-password`).

            Mails the pages cause (confirmations, welcomes) go through the outbox, which serve sends every --outbox-every seconds on its own thread (a request never waits on SMTP).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The address to listen on for readers.") var host = "127.0.0.1"
    @Option(help: "The port to listen on for readers (0: any free port).") var port = 8080
    @Option(name: .customLong("staff-port"), help: "The staff pages' port, overriding staff.listen's (0: any free port).") var staffPort: Int?
    @Option(
        name: .customLong("outbox-every"),
        help: ArgumentHelp("Send the outbox every this many seconds (0: never; then run `kyozon outbox send` from a timer).", valueName: "SECONDS"))
    var outboxEvery = 10

    func run() async throws {
        let env = try global.environment()
        let config = env.configuration
        let sender = try env.sender()
        let clock = env.clock
        let store = try env.openStore()
        var settings = WebSettings(baseURL: config.baseURL, sender: sender)
        settings.sendDay = config.sendDay
        settings.trustedProxies = Set(config.trustedProxies)
        let router = buildRouter(
            store: store, signer: try TokenKey.signer(env),
            notices: try NoticeTemplates(directory: env.templatesDirectory),
            settings: settings, clock: { clock() })
        var services: [any Service] = []
        let host = self.host, baseURL = config.baseURL
        services.append(
            Application(
                router: router, configuration: .init(address: .hostname(host, port: port), serverName: "kyozon"),
                onServerRunning: { channel in
                    // The port actually bound (--port 0 picks a free one). Written straight to the
                    // file descriptor: stdout is block-buffered when not a terminal.
                    Self.say("kyozon serve: http://\(host):\(channel.localAddress?.port ?? 0)/subscribe (links in mail: \(baseURL))")
                }))
        if config.staffAccounts.isEmpty {
            warn("kyozon serve: no staff.accounts in kyozon.toml: the staff pages are off (`kyozon staff hash-password` makes a login)")
        } else {
            let colon = config.staffListen.lastIndex(of: ":")!
            let staffHost = String(config.staffListen[..<colon])
            let staffPort = self.staffPort ?? Int(config.staffListen[config.staffListen.index(after: colon)...])!
            var staff = StaffSettings(accounts: config.staffAccounts)
            staff.sendDay = config.sendDay
            staff.trustedProxies = Set(config.trustedProxies)
            staff.secureCookies = baseURL.hasPrefix("https:") && staffHost != "127.0.0.1" && staffHost != "localhost"
            let staffRouter = buildStaffRouter(store: store, backend: StaffBackendService(env: env, store: store), settings: staff, clock: { clock() })
            services.append(
                Application(
                    router: staffRouter, configuration: .init(address: .hostname(staffHost, port: staffPort), serverName: "kyozon-staff"),
                    onServerRunning: { channel in
                        Self.say("kyozon staff: http://\(staffHost):\(channel.localAddress?.port ?? 0)/staff")
                    }))
        }
        if outboxEvery > 0 {
            services.append(OutboxService(drain: try OutboxDrain(env: env, store: store), every: outboxEvery, clock: clock))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "kyozon")))
        try await group.run()
    }

    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// Drains the outbox every few seconds while the server runs, on a thread of its own (libcurl
/// blocks), and stops with the server.
struct OutboxService: Service {
    let drain: OutboxDrain
    let every: Int
    let clock: @Sendable () -> Timestamp

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let drain = self.drain, clock = self.clock
                Thread {
                    do {
                        let result = try drain.drain(now: clock)
                        if let failure = result.relayFailure {
                            warn("outbox: the relay failed: \(failure); trying again in \(every) s")
                        } else if !result.counts.isEmpty {
                            ServeCommand.say("outbox: \(result.summary)")
                        }
                    } catch {
                        // Another kyozon holding the outbox lock is not an error: it sends them.
                        warn("outbox: \(error)")
                    }
                    done.resume()
                }.start()
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(every)) }
            } catch {
                return
            }
        }
    }
}
