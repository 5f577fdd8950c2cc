import ArgumentParser
import Foundation
import Hummingbird
import KyozonComposer
import KyozonDomain
import KyozonWeb
import ServiceLifecycle

/// `kyozon serve`: the pages readers use to subscribe, confirm, change lists and leave.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the subscribe, confirm, preferences and unsubscribe pages (and the RFC 8058 one-click endpoint).",
        discussion: "Mails these pages cause (confirmations, welcomes) go through the outbox, which serve sends every --outbox-every seconds on its own thread (a request never waits on SMTP). Put it behind the office's HTTPS reverse proxy; site.base_url is the address readers see.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080
    @Option(
        name: .customLong("outbox-every"),
        help: ArgumentHelp("Send the outbox every this many seconds (0: never; then run `kyozon outbox send` from a timer).", valueName: "SECONDS"))
    var outboxEvery = 10

    func run() async throws {
        let env = try global.environment()
        let config = env.configuration
        let sender = Sender(
            name: config.senderName, address: try EmailAddress(config.senderAddress), postalAddress: config.postalAddress,
            contact: config.contact)
        let clock = env.clock
        let store = try env.openStore()
        var settings = WebSettings(baseURL: config.baseURL, sender: sender)
        settings.sendDay = config.sendDay
        let router = buildRouter(
            store: store, signer: try TokenKey.signer(env),
            notices: try NoticeTemplates(directory: env.templatesDirectory),
            settings: settings, clock: { clock() })
        let services: [any Service] =
            outboxEvery > 0 ? [OutboxService(drain: try OutboxDrain(env: env, store: store), every: outboxEvery, clock: clock)] : []
        let host = self.host, baseURL = config.baseURL
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "kyozon"), services: services,
            onServerRunning: { channel in
                // The port actually bound (--port 0 picks a free one). Written straight to the
                // file descriptor: stdout is block-buffered when not a terminal.
                let port = channel.localAddress?.port ?? 0
                FileHandle.standardOutput.write(Data("kyozon serve: http://\(host):\(port)/subscribe (links in mail: \(baseURL))\n".utf8))
            })
        try await app.runService()
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
                            FileHandle.standardOutput.write(Data("outbox: \(result.summary)\n".utf8))
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
