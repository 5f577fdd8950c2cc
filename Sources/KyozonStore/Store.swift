import Foundation
import GRDB
import KyozonDomain

/// The one SQLite database of kyozon: submissions, lists, subscribers, issues and deliveries.
///
/// ```swift
/// let store = try Store(path: dataDirectory + "/kyozon.sqlite")
/// let report = try store.syncLists(lists, now: .now)
/// ```
/// WAL journal, `synchronous=FULL` (a committed delivery state survives power loss, not only
/// a crash), foreign keys on, a busy timeout so the CLI and a server can share it. Every
/// write is a named transaction that keeps the store's invariants.
public final class Store: Sendable {
    let pool: DatabasePool
    /// The database file.
    public let path: String

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        self.path = path
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // Set on the one writer connection after GRDB opened it: GRDB's WAL setup sets
            // NORMAL after `prepareDatabase` runs, which would let a power loss undo commits.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                // Erased personal data is overwritten, not left in free pages of the file.
                try db.execute(sql: "PRAGMA secure_delete = ON")
            }
            try Self.migrator.migrate(pool)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// A random id made when the database was created: it keeps Message-IDs of two
    /// installations (or a test and production) apart.
    public func instanceID() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'instance'") ?? "0" }
    }

    /// The journal mode and synchronous setting of the connection that writes, for checks.
    public func durabilitySettings() throws -> (journalMode: String, synchronous: Int) {
        try pool.writeWithoutTransaction { db in
            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
            let sync = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            return (mode, sync)
        }
    }
}

/// Errors of the store, in words that say what to do.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case unknownList(String)
    case archivedList(String)
    case unknownSubscriber(String)
    case addressTaken(String)
    case unknownSubmission(Int64)
    case alreadySent(String)
    case badCorrection(Int64, String)
    /// A row that the store's own writes could not have left: named, never skipped.
    case damaged(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open the database \(path): \(reason)"
        case .unknownList(let id): "no list with id \"\(id)\"; run `kyozon lists list` to see the lists, or `kyozon lists sync` after editing lists.toml"
        case .archivedList(let id): "list \"\(id)\" is archived (it is no longer in lists.toml); add it back and run `kyozon lists sync` to send to it"
        case .unknownSubscriber(let email): "no subscriber with address \(email)"
        case .addressTaken(let email): "\(email) is already another subscriber's address; remove or erase that one first"
        case .unknownSubmission(let id): "no accepted submission with id \(id)"
        case .damaged(let what): "the database holds something it should not: \(what); restore a backup or correct the row"
        case .badCorrection(let id, let problem): "item \(id): \(problem); nothing was changed"
        case .alreadySent(let month): "the issue for \(month) has begun going out; what was approved is what its readers and its web edition have, and it cannot be approved again"
        }
    }
}
