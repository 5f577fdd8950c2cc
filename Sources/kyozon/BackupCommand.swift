import ArgumentParser
import Foundation

/// `kyozon backup`: a consistent copy of the store, safe while the server and sends run.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the store, consistently, while kyozon serve and sends go on (SQLite online backup).",
        discussion: "The copy is checked (integrity_check) and only then renamed to FILE. Restore: stop kyozon (serve, timers), copy FILE over kyozon.sqlite in the data directory, delete kyozon.sqlite-wal and kyozon.sqlite-shm beside it, and start again. Keep secrets/token.key (or KYOZON_TOKEN_KEY) with the backups: the links in sent issues need it.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Where to write the copy; default: backups/kyozon-YYYYMMDD-HHMMSS.sqlite in the data directory.", valueName: "FILE"))
    var file: String?

    func run() throws {
        let env = try global.environment()
        let store = try env.openStore()
        let path: String
        if let file {
            path = file
        } else {
            let stamp = env.clock().description.prefix(19).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
                .replacingOccurrences(of: "T", with: "-")
            let folder = env.dataDirectory + "/backups"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            path = "\(folder)/kyozon-\(stamp).sqlite"
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw CommandError("\(path) exists already; give another name (a backup never overwrites one)")
        }
        let pages = try store.backup(to: path)
        print("backup: \(path) (\(pages) pages, integrity ok)")
    }
}
