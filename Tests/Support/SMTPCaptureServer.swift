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
    /// `tls`: offer (and require) STARTTLS with this certificate.
    public init(stall: Double = 30, greeting: Int = 220, tls: TestCertificate? = nil) throws {
        folder = try TemporaryDirectory("kyozon-smtp")
        var arguments = ["--out", folder.path, "--until-stdin-closes", "--stall", "\(stall)", "--greeting", "\(greeting)"]
        if let tls { arguments += ["--tls-cert", tls.certificate, "--tls-key", tls.key] }
        server = try PythonServer(script: "smtp_capture.py", arguments: arguments)
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

/// A self-signed certificate for 127.0.0.1 and localhost, made with openssl for one test.
public final class TestCertificate: @unchecked Sendable {
    public let folder: TemporaryDirectory
    public var certificate: String { folder.file("cert.pem") }
    public var key: String { folder.file("key.pem") }

    public init() throws {
        folder = try TemporaryDirectory("kyozon-tls")
        let made = try ProcessRunner.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", folder.file("key.pem"), "-out",
                folder.file("cert.pem"),
            ])
        guard made.status == 0 else { throw CaptureError("openssl could not make a certificate: \(made.stderr)") }
    }
}
