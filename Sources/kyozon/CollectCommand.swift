import ArgumentParser
import Foundation
import KyozonCollector
import KyozonConfig
import KyozonDomain
import KyozonHTTP
import KyozonStore

struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Store submitted items from files, folders and feeds; every reject is kept with its reasons.",
        discussion: """
            Each PATH is a file (JSON array, JSON Lines, or CSV as Excel saves it: UTF-8 or CP932) or a folder, whose .json, .jsonl and .csv files are all read. With no PATH, the inbox folder (collect.inbox) and the feeds ([[feeds]]) in kyozon.toml are collected.

            Every valid item is stored; each invalid one is reported with its source (file and item or line, or feed and entry), the field, what was wrong and what is accepted, and kept in the store with its reasons. A file is remembered by its content: collecting it again changes nothing, an edited file is read again. Duplicates (same submitter and id, or same title, prefecture and start date) are merged, the one submitted last standing.

            --report lists a month's rejects, flagged items (events over before the send day), merged duplicates and warnings, without collecting.

            Exit status 0: all accepted; 2: something was rejected or a feed failed.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Files or folders to collect.", valueName: "PATH"))
    var paths: [String] = []

    @Flag(help: "List the month's rejects, flagged items, merges and warnings; collect nothing.")
    var report = false

    @Option(help: ArgumentHelp("The month for --report (YYYY-MM, Tokyo). Default: last month.", valueName: "YYYY-MM"), transform: parseMonth)
    var month: IssueMonth?

    @Flag(help: "With --report: print JSON.")
    var json = false

    func validate() throws {
        if report && !paths.isEmpty { throw ValidationError("--report collects nothing; give no PATH with it") }
        if !report && (json || month != nil) { throw ValidationError("--json and --month go with --report") }
    }

    func run() throws {
        let env = try global.environment()
        let store = try env.openStore()
        if report { return try printReport(store: store, month: env.month(month)) }

        let config = env.configuration
        let sources = paths.isEmpty ? (config.inbox.map { [$0] } ?? []) : paths
        if sources.isEmpty && config.feeds.isEmpty {
            throw CommandError("nothing to collect: give files or folders, or set collect.inbox or [[feeds]] in kyozon.toml")
        }
        var tally = CollectTally()
        let collector = Collector(sendDay: config.sendDay, now: env.now)
        for file in try SubmissionFiles.expand(sources) {
            tally.add(try collectFile(file, collector: collector, store: store, env: env))
        }
        if paths.isEmpty {
            for feed in config.feeds {
                tally.add(try FeedCollection(feed: feed, collector: collector, store: store, now: env.now).run())
            }
        }
        if tally.needsAttention { throw ExitCode(2) }
    }

    private func collectFile(_ path: String, collector: Collector, store: Store, env: CommandEnvironment) throws -> CollectTally {
        guard let data = FileManager.default.contents(atPath: path) else {
            warn("\(path): cannot be read")
            return CollectTally(rejected: 1)
        }
        let hash = sha256Hex(data)
        if try store.wasCollected(contentHash: hash) {
            print("\(path): unchanged since it was collected")
            return CollectTally()
        }
        let collected = collector.collect(data, origin: path)
        let saved = try store.saveSubmissions(collected, receivedAt: env.now)
        let rejected = collected.filter { !$0.isAccepted }.count
        try store.recordCollectedFile(contentHash: hash, path: path, accepted: collected.count - rejected, rejected: rejected, now: env.now)
        CollectOutput.print(collected, saved: saved, origin: path)
        return CollectTally(rejected: rejected)
    }

    private func printReport(store: Store, month: IssueMonth) throws {
        let entries = try store.collectionReport(in: month)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(entries), as: UTF8.self))
        } else {
            for entry in entries {
                print("\(entry.kind.rawValue)  \(entry.source)")
                for message in entry.messages { print("    \(message)") }
            }
            let counts = Dictionary(grouping: entries, by: \.kind).mapValues(\.count)
            let items = try store.acceptedItems(in: month).count
            print("\(month): \(items) item(s) for the issue; \(counts[.rejected] ?? 0) rejected, \(counts[.flagged] ?? 0) flagged, \(counts[.superseded] ?? 0) merged, \(counts[.warning] ?? 0) with warnings")
        }
        if entries.contains(where: { $0.kind == .rejected }) { throw ExitCode(2) }
    }
}

/// Whether a collect run found anything a person must look at.
struct CollectTally {
    var rejected = 0
    var failedFeeds = 0
    var needsAttention: Bool { rejected > 0 || failedFeeds > 0 }

    mutating func add(_ other: CollectTally) {
        rejected += other.rejected
        failedFeeds += other.failedFeeds
    }
}

/// How a collect run reports what it found.
enum CollectOutput {
    static func print(_ collected: [CollectedSubmission], saved: SubmissionSaveReport, origin: String) {
        for submission in collected {
            for warning in submission.warnings { warn("warning \(submission.source): \(warning)") }
            for message in submission.rejectionMessages { warn("rejected \(message)") }
        }
        for merge in saved.merged { warn("merged \(merge)") }
        Swift.print("\(origin): \(saved.accepted) new accepted, \(saved.rejected) new rejected, \(saved.unchanged) already collected")
    }
}

/// The submission files named by paths: files as they are, folders expanded to their
/// .json, .jsonl, .ndjson and .csv files (recursively, hidden files skipped, sorted).
enum SubmissionFiles {
    static func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CommandError("\(path): no such file or folder")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let enumerator = FileManager.default.enumerator(atPath: path)
            var found: [String] = []
            while let name = enumerator?.nextObject() as? String {
                let full = (path as NSString).appendingPathComponent(name)
                if (name as NSString).lastPathComponent.hasPrefix(".") { continue }
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue else { continue }
                if SourceFormat(path: full) != nil {
                    found.append(full)
                } else {
                    // Said, not silently passed over: someone may have dropped an .xlsx in the inbox.
                    warn("skipped \(full): not a submission file (.json, .jsonl, .ndjson or .csv)")
                }
            }
            files += found.sorted()
        }
        return files
    }
}
