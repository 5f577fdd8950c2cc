import Foundation

/// A program that runs beside a test, such as `kyozon serve`: started, read until it prints
/// the line that says it is ready, and stopped (SIGTERM, then waited for) when released.
public final class BackgroundProcess: @unchecked Sendable {
    /// The line that said it was ready.
    public let readyLine: String
    /// The lines it wrote before that one.
    public let earlierLines: [String]
    private let process: Process
    /// What it wrote on standard error, for failure messages.
    public let errorLog: String

    /// Waits for a line starting with `readyPrefix`, and for one starting with each of `alsoWaitFor`.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String], readyPrefix: String, alsoWaitFor: [String] = [],
        errorLog: String
    ) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdout = Pipe()
        process.standardOutput = stdout
        _ = FileManager.default.createFile(atPath: errorLog, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorLog))
        process.standardInput = FileHandle.nullDevice
        self.errorLog = errorLog
        try process.run()
        // Line by line until the ready line, or EOF (it died): bounded by the program itself.
        var line = Data()
        var ready: String?
        var earlier: [String] = []
        func waiting() -> Bool {
            ready == nil || alsoWaitFor.contains { prefix in !earlier.contains { $0.hasPrefix(prefix) } }
        }
        while waiting() {
            let byte = try stdout.fileHandleForReading.read(upToCount: 1) ?? Data()
            if byte.isEmpty { break }
            if byte == Data("\n".utf8) {
                let text = String(decoding: line, as: UTF8.self)
                if text.hasPrefix(readyPrefix) { ready = text } else { earlier.append(text) }
                line.removeAll()
            } else {
                line.append(byte)
            }
        }
        guard let ready, !waiting() else {
            process.terminate()
            process.waitUntilExit()
            throw CaptureError("\(executable) \(arguments.joined(separator: " ")) did not start: \((try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? "")")
        }
        readyLine = ready
        earlierLines = earlier
        // Keep draining stdout so that the program never blocks on a full pipe.
        let handle = stdout.fileHandleForReading
        Thread { _ = handle.readDataToEndOfFile() }.start()
    }

    /// Stops it the way systemd would (SIGTERM) and waits; returns its exit status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { stop() }
}
