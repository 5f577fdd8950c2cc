import Foundation
import GRDB

extension Store {
    /// Copies the whole database to `path` with SQLite's online backup, consistent as of one
    /// moment, while other connections (the server, a send) go on reading and writing. The copy
    /// is written beside `path` and renamed into place once complete and checked, so `path` is
    /// never a half-written file. Returns the copy's page count.
    @discardableResult
    public func backup(to path: String) throws -> Int {
        let partial = path + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            let copy = try DatabaseQueue(path: partial)
            try pool.backup(to: copy)
            let (check, pages) = try copy.read { db in
                (try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "", try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0)
            }
            try copy.close()
            guard check == "ok" else { throw StoreError.cannotOpen(path: partial, reason: "the copy fails its integrity check: \(check)") }
            guard rename(partial, path) == 0 else {
                throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
            }
            return pages
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }
}
