import Foundation

/// A real SMTP server for a test: `Tests/Support/smtp_capture.py` on python3-aiosmtpd,
/// listening on a free loopback port and writing each accepted message to a folder.
///
/// ```swift
/// let server = try SMTPCaptureServer()
/// // … send to "smtp://127.0.0.1:\(server.port)" …
/// let messages = try server.messages()
/// ```
/// The server stops when this value is released, and also by itself if the test process
/// dies, because it runs only while its standard input is open.
public final class SMTPCaptureServer: @unchecked Sendable {
    public let port: Int
    public let folder: TemporaryDirectory
    private let process: Process
    private let stdin: Pipe

    public var url: String { "smtp://127.0.0.1:\(port)" }

    public init() throws {
        folder = try TemporaryDirectory("kyozon-smtp")
        process = Process()
        process.executableURL = URL(fileURLWithPath: PackagePaths.python)
        process.arguments = [
            PackagePaths.path("Tests/Support/smtp_capture.py"), "--out", folder.path, "--until-stdin-closes",
        ]
        stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        // The server prints "READY <port>" once it listens; EOF means it failed to start.
        var line = Data()
        while true {
            let byte = try stdout.fileHandleForReading.read(upToCount: 1) ?? Data()
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6)) else {
            process.terminate()
            throw CaptureError("the SMTP capture server did not start (is python3-aiosmtpd installed?): \(text)")
        }
        self.port = port
    }

    /// The messages received so far, in arrival order.
    public func messages() throws -> [CapturedMessage] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".eml") }.sorted()
        return try names.map { name in
            let base = folder.path + "/" + String(name.dropLast(4))
            let raw = try Data(contentsOf: URL(fileURLWithPath: base + ".eml"))
            let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: base + ".json"))) as? [String: Any]
            return CapturedMessage(
                path: base + ".eml", raw: raw, mailFrom: meta?["mail_from"] as? String ?? "",
                recipients: meta?["rcpt_tos"] as? [String] ?? [])
        }
    }

    deinit {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// One message as the capture server received it.
public struct CapturedMessage: Sendable {
    public let path: String
    public let raw: Data
    public let mailFrom: String
    public let recipients: [String]
}

public struct CaptureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
