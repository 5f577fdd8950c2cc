/// A configuration or list file that cannot be used, naming the file, the place and what is accepted.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public let file: String
    /// 1-based line, when known.
    public let line: Int?
    /// `[smtp] url`, or empty for the whole file.
    public let key: String
    public let message: String

    public init(file: String, line: Int?, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(place): \(message)" : "\(place): \(key): \(message)"
    }
}
