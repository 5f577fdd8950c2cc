import ArgumentParser
import Foundation
import KyozonConfig
import KyozonDomain
import KyozonStore

/// Options every command that touches the store takes.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "Where the database and kyozon.toml live.", discussion: "Default: KYOZON_DATA_DIR, else $XDG_DATA_HOME/kyozon, else ~/.local/share/kyozon.",
            valueName: "DIR"))
    var dataDirectory: String?

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp("The configuration file.", discussion: "Default: KYOZON_CONFIG, else kyozon.toml in the data directory.", valueName: "FILE"))
    var configFile: String?

    /// Resolves the data directory, the configuration and the clock for a command.
    func environment() throws -> CommandEnvironment {
        try CommandEnvironment(dataDirectoryOption: dataDirectory, configOption: configFile)
    }
}

/// A Tokyo month given on the command line as YYYY-MM, refused with the reason.
func parseMonth(_ text: String) throws -> IssueMonth {
    guard let month = IssueMonth(text) else {
        throw ValidationError("\"\(text)\" is not a month; write YYYY-MM, such as 2026-11 (months 01 to 12)")
    }
    return month
}

/// Prints to standard error.
func warn(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
