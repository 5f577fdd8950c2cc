import ArgumentParser
import Foundation
import Hummingbird
import KyozonComposer
import KyozonDomain
import KyozonWeb

/// `kyozon serve`: the pages readers use to subscribe, confirm and leave.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the subscribe, confirm and unsubscribe pages (and the RFC 8058 one-click endpoint).",
        discussion: "Mails these pages cause (confirmations, welcomes) wait in the outbox: run `kyozon outbox send` from a timer. Put it behind the office's HTTPS reverse proxy; site.base_url is the address readers see.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080

    func run() async throws {
        let env = try global.environment()
        let config = env.configuration
        let sender = Sender(
            name: config.senderName, address: try EmailAddress(config.senderAddress), postalAddress: config.postalAddress,
            contact: config.contact)
        let clock = env.clock
        let router = buildRouter(
            store: try env.openStore(), signer: try TokenKey.signer(env),
            notices: try NoticeTemplates(directory: env.templatesDirectory),
            settings: WebSettings(baseURL: config.baseURL, sender: sender), clock: { clock() })
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "kyozon"))
        // Written straight to the file descriptor: stdout is block-buffered when not a terminal.
        FileHandle.standardOutput.write(Data("kyozon serve: http://\(host):\(port)/subscribe (links in mail: \(config.baseURL))\n".utf8))
        try await app.runService()
    }
}
