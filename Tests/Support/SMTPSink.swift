import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Postfix's `smtp-sink` on a free loopback port: a fast SMTP server that accepts (or, with
/// its options, refuses or drops) everything and stores nothing.
///
/// ```swift
/// let sink = try SMTPSink(options: ["-f", "RCPT"])   // every RCPT refused with 5xx
/// ```
public final class SMTPSink: @unchecked Sendable {
    public let port: Int
    private let process: Process

    public var url: String { "smtp://127.0.0.1:\(port)" }

    public init(options: [String] = []) throws {
        port = try Self.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/smtp-sink")
        // As root, smtp-sink insists on dropping its privileges.
        process.arguments = (getuid() == 0 ? ["-u", "nobody"] : []) + options + ["127.0.0.1:\(port)", "256"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready once it accepts a connection: at most 5 s of 20 ms tries.
        for _ in 0..<250 {
            if Self.accepts(port) { return }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGKILL)
        throw CaptureError("smtp-sink did not start on port \(port) (is postfix installed?)")
    }

    deinit {
        // SIGKILL: started through Foundation's Process, smtp-sink ignores SIGTERM (it keeps
        // the signal mask it inherits), and it holds no state worth a clean exit.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// A port the kernel has just handed out for 127.0.0.1 (smtp-sink cannot report its own).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw CaptureError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
