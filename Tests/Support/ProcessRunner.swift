import Foundation

/// The result of running a program to completion.
public struct ProcessOutput: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs programs for tests: the built `kyozon`, Python checkers.
public enum ProcessRunner {
    /// Runs `executable` with `arguments`, waits for it, and returns its exit status and output.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        currentDirectory: String? = nil, stdin: Data? = nil
    ) throws -> ProcessOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a chatty child never blocks on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessOutput(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The `kyozon` binary built beside the test bundle.
    public static var kyozonBinary: String {
        let candidates: [String] = [
            Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("kyozon").path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("kyozon").path,
            PackagePaths.path(".build/debug/kyozon"),
        ].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }
}

extension ProcessOutput {
    /// Standard output as a JSON array of objects, as the Python checkers print it. Throws,
    /// naming the program's error output, when it is not one, or not `count` long: a test must
    /// never pass by looping over nothing.
    public func jsonObjects(count: Int? = nil) throws -> [[String: Any]] {
        guard status == 0, let objects = try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [[String: Any]] else {
            throw CaptureError("expected a JSON array of objects (exit status \(status)): \(stderr)\(stdout.prefix(500))")
        }
        if let count, objects.count != count { throw CaptureError("expected \(count) results, got \(objects.count)") }
        return objects
    }
}

/// Python's standard `email` parser (policy=default) on captured messages: Tests/Support/mail_check.py.
public enum MailCheck {
    /// One summary per file, in order: headers (raw and decoded), parts, defects, line lengths.
    public static func parse(_ paths: [String]) throws -> [[String: Any]] {
        guard !paths.isEmpty else { return [] }
        return try ProcessRunner.run(PackagePaths.python, [PackagePaths.path("Tests/Support/mail_check.py")] + paths).jsonObjects(count: paths.count)
    }
}
