import Foundation

/// A test server written in Python (Debian's /usr/bin/python3), started on a free loopback
/// port. It prints "READY <port>" once listening and runs only while its standard input is
/// open, so it stops when this value is released or the test process dies.
public final class PythonServer: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let stdin: Pipe

    /// Starts `Tests/Support/<script>` with `arguments` and waits for its READY line.
    public init(script: String, arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: PackagePaths.python)
        process.arguments = [PackagePaths.path("Tests/Support/\(script)")] + arguments
        stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        // Reading stops at the first newline or at EOF, which means the server failed to start.
        var line = Data()
        while true {
            let byte = try stdout.fileHandleForReading.read(upToCount: 1) ?? Data()
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6)) else {
            process.terminate()
            throw CaptureError("\(script) did not start: \(text)")
        }
        self.port = port
    }

    deinit {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// An HTTP server (`http_feeds.py`) serving a folder's files with ETag and Last-Modified,
/// answering conditional requests with 304 and logging what it was asked.
public final class FeedServer: @unchecked Sendable {
    public let folder: TemporaryDirectory
    private let log: String
    private let server: PythonServer

    public init() throws {
        folder = try TemporaryDirectory("kyozon-feeds")
        log = folder.file("requests.jsonl")
        server = try PythonServer(script: "http_feeds.py", arguments: ["--root", folder.path, "--log", log])
    }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(server.port)/\(path)" }

    /// The requests the server saw, in order: path, If-None-Match, If-Modified-Since, status.
    public func requests() throws -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }
}
