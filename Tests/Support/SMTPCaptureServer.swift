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
    public let folder: TemporaryDirectory
    private let server: PythonServer

    public var port: Int { server.port }
    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// `stall`: seconds a `stall@` recipient waits; `greeting`: a code other than 220 refuses every connection.
    public init(stall: Double = 30, greeting: Int = 220) throws {
        folder = try TemporaryDirectory("kyozon-smtp")
        server = try PythonServer(
            script: "smtp_capture.py",
            arguments: ["--out", folder.path, "--until-stdin-closes", "--stall", "\(stall)", "--greeting", "\(greeting)"])
    }

    /// How many messages have arrived so far (cheap enough to poll).
    public func messageCount() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".eml") }.count
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
