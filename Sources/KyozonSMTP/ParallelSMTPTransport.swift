import Foundation
import KyozonMailer

/// Several `CurlSMTPTransport`s, each on its own thread, sharing one stream of messages.
///
/// ```swift
/// let smtp = try ParallelSMTPTransport(settings: settings, connections: 8, threads: 2)
/// smtp.stream(next: { feed.next() }, done: { tag, result in feed.done(tag, result) })
/// ```
/// libcurl 7.88 waits for the reply to the final dot inside `curl_multi_perform` (its SMTP
/// "done" step blocks), so one thread sits idle for every message's last reply. A second
/// thread sends while the first waits. `next` and `done` are called under one lock, so
/// callers need not be thread-safe; the rate limit is split evenly between the threads.
public final class ParallelSMTPTransport: MailTransport {
    private let transports: [CurlSMTPTransport]

    public init(settings: SMTPSettings, connections: Int, threads: Int, rateLimit: RateLimit = .unlimited) throws(SMTPSetupError) {
        let threads = max(1, min(threads, connections))
        var share = rateLimit
        share.perSecond = rateLimit.perSecond.map { $0 / Double(threads) }
        share.window = rateLimit.window.map { (max(1, $0.count / threads), $0.seconds) }
        var transports: [CurlSMTPTransport] = []
        for index in 0..<threads {
            // Connections spread as evenly as they go: 8 over 3 threads is 3, 3, 2.
            let count = connections / threads + (index < connections % threads ? 1 : 0)
            transports.append(try CurlSMTPTransport(settings: settings, connections: count, rateLimit: share))
        }
        self.transports = transports
    }

    public func stream(next: () -> OutgoingMessage?, done: (Int64, TransportResult) -> Void) {
        withoutActuallyEscaping(next) { next in
            withoutActuallyEscaping(done) { done in
                let shared = Shared(next: next, done: done)
                let group = DispatchGroup()
                for transport in transports.dropFirst() {
                    let box = Box(transport: transport, shared: shared)
                    group.enter()
                    Thread {
                        box.transport.stream(next: box.shared.next, done: box.shared.done)
                        group.leave()
                    }.start()
                }
                transports[0].stream(next: shared.next, done: shared.done)
                group.wait()
                // A finished Thread may still hold its block for a moment: let go of the
                // caller's closures now, as `withoutActuallyEscaping` requires.
                shared.release()
            }
        }
    }

    /// The caller's closures behind one lock. They live only until `stream` returns, which
    /// waits for every thread.
    private final class Shared: @unchecked Sendable {
        private let lock = NSLock()
        private var nextMessage: (() -> OutgoingMessage?)?
        private var report: ((Int64, TransportResult) -> Void)?

        init(next: @escaping () -> OutgoingMessage?, done: @escaping (Int64, TransportResult) -> Void) {
            self.nextMessage = next
            self.report = done
        }

        func next() -> OutgoingMessage? { lock.withLock { nextMessage?() } }
        func done(_ tag: Int64, _ result: TransportResult) { lock.withLock { report?(tag, result) } }

        func release() {
            lock.withLock {
                nextMessage = nil
                report = nil
            }
        }
    }

    /// A transport is used by exactly one thread during `stream`.
    private struct Box: @unchecked Sendable {
        let transport: CurlSMTPTransport
        let shared: Shared
    }
}
