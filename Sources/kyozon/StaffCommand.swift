import ArgumentParser
import Foundation
import HummingbirdBcrypt

/// `kyozon staff`: logins for the staff pages.
struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "Make a staff login for the staff pages.",
        subcommands: [HashPassword.self])

    struct HashPassword: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hash-password",
            abstract: "Read a password on standard input and print its bcrypt hash, for [staff.accounts] in kyozon.toml.",
            discussion: "Example: printf '%s' 'a long passphrase' | kyozon staff hash-password, then in kyozon.toml:\n  [staff.accounts]\n  sato = \"$2b$12$…\"\nThe password itself is never written anywhere.")

        @Option(help: "The bcrypt cost (10 to 15).") var cost = 12

        func validate() throws {
            if !(10...15).contains(cost) { throw ValidationError("--cost must be from 10 to 15") }
        }

        func run() throws {
            let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            let password = input.hasSuffix("\n") ? String(input.dropLast()) : input
            guard password.count >= 12 else { throw ValidationError("use a password of at least 12 characters") }
            // bcrypt reads 72 bytes and silently ignores the rest.
            guard password.utf8.count <= 72 else {
                throw ValidationError("the password is \(password.utf8.count) bytes; bcrypt uses only the first 72, so choose a shorter one")
            }
            print(Bcrypt.hash(password, cost: UInt8(cost)))
        }
    }
}
