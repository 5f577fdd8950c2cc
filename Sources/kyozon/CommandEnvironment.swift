import Dispatch
import Foundation
import KyozonComposer
import KyozonConfig
import KyozonDomain
import KyozonStore

/// What a command runs against: the data directory, the configuration, the clock.
struct CommandEnvironment {
    let dataDirectory: String
    let configuration: Configuration
    /// The file the configuration came from, or nil for the embedded defaults.
    let configurationFile: String?
    let now: Timestamp

    init(dataDirectoryOption: String?, configOption: String?) throws {
        let env = ProcessInfo.processInfo.environment
        let home = env["HOME"] ?? NSHomeDirectory()
        let dataDirectory: String
        if let option = dataDirectoryOption {
            dataDirectory = option
        } else if let fromEnv = env["KYOZON_DATA_DIR"], !fromEnv.isEmpty {
            dataDirectory = fromEnv
        } else if let xdg = env["XDG_DATA_HOME"], !xdg.isEmpty {
            dataDirectory = xdg + "/kyozon"
        } else {
            dataDirectory = home + "/.local/share/kyozon"
        }
        try FileManager.default.createDirectory(
            atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        self.dataDirectory = dataDirectory

        // An explicitly named file must exist; the default one may be absent (embedded defaults).
        let explicit = configOption ?? env["KYOZON_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let path = explicit ?? dataDirectory + "/kyozon.toml"
        if let data = FileManager.default.contents(atPath: path) {
            configuration = try Configuration(toml: String(decoding: data, as: UTF8.self), file: path)
            configurationFile = path
        } else if explicit != nil {
            throw CommandError("configuration file not found: \(path)")
        } else {
            configuration = Configuration()
            configurationFile = nil
        }

        if let fixed = env["KYOZON_NOW"], !fixed.isEmpty {
            guard let stamp = Timestamp(rfc3339: fixed) else {
                throw CommandError("KYOZON_NOW \"\(fixed)\" is not accepted; give \(Timestamp.acceptedForms)")
            }
            now = stamp
        } else {
            now = Timestamp(epochSeconds: Int64(Date().timeIntervalSince1970))
        }
    }

    /// The current time: `now` plus the time elapsed since the command started, so that a
    /// run that waits sees time pass even when `KYOZON_NOW` fixed its start.
    func clock() -> Timestamp {
        let elapsed = DispatchTime.now().uptimeNanoseconds &- startedAt
        return Timestamp(epochSeconds: now.epochSeconds + Int64(elapsed / 1_000_000_000))
    }

    /// Monotonic nanoseconds when the environment was made, the origin of `clock()`.
    private let startedAt = DispatchTime.now().uptimeNanoseconds

    var databasePath: String { dataDirectory + "/kyozon.sqlite" }

    func openStore() throws -> Store { try Store(path: databasePath) }

    /// The month a command works on: the one given, else last month in Tokyo.
    func month(_ option: IssueMonth?) -> IssueMonth {
        option ?? now.issueMonth.previous
    }

    /// The templates folder: KYOZON_TEMPLATES, else templates.dir, else ./Templates.
    func templates() throws -> TemplateSet {
        try TemplateSet(directory: templatesDirectory)
    }

    var templatesDirectory: String {
        ProcessInfo.processInfo.environment["KYOZON_TEMPLATES"].flatMap { $0.isEmpty ? nil : $0 }
            ?? configuration.templatesDirectory ?? "Templates"
    }

    /// The sender the configuration names: the From of every mail and the footer's publisher.
    func sender() throws -> Sender {
        let config = configuration
        return Sender(
            name: config.senderName, address: try EmailAddress(config.senderAddress), postalAddress: config.postalAddress,
            contact: config.contact)
    }

    /// Who is running the command, recorded as the staff member behind imports and removals.
    var operatorName: String {
        ProcessInfo.processInfo.environment["KYOZON_OPERATOR"] ?? ProcessInfo.processInfo.environment["USER"] ?? "staff"
    }
}

/// An error a command reports as it is, in the user's words.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
