import Foundation
import TOMLKit

/// Reads a TOML file's tables with known keys, turning every surprise into a `ConfigError`
/// that names the file, the line and the key.
struct TOMLReader {
    let file: String
    let text: String
    let root: TOMLTable

    init(file: String, text: String) throws(ConfigError) {
        self.file = file
        self.text = text
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(file: file, line: error.source.begin.line, key: "", message: "not valid TOML: \(error.description)")
        } catch {
            throw ConfigError(file: file, line: nil, key: "", message: "not valid TOML: \(error)")
        }
    }

    func fail(_ section: String, _ key: String, _ message: String) -> ConfigError {
        ConfigError(file: file, line: line(of: key, in: section), key: "[\(section)] \(key)", message: message)
    }

    /// The sub-table `name` of `table`, checked to hold only `known` keys.
    func section(_ name: String, of table: TOMLTable? = nil, known: [String], path: String? = nil) throws(ConfigError)
        -> TOMLTable?
    {
        let parent = table ?? root
        guard let value = parent[name] else { return nil }
        let display = path ?? name
        guard let sub = value.table else {
            throw ConfigError(file: file, line: line(ofSection: display), key: "[\(display)]", message: "must be a table")
        }
        for key in sub.keys where !known.contains(key) {
            throw fail(display, key, "unknown key; known keys in [\(display)]: \(known.joined(separator: ", "))")
        }
        return sub
    }

    func string(_ table: TOMLTable?, _ key: String, section: String) throws(ConfigError) -> String? {
        guard let value = table?[key] else { return nil }
        guard let string = value.string else { throw fail(section, key, "must be a string in double quotes") }
        return string
    }

    func int(_ table: TOMLTable?, _ key: String, section: String, range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = table?[key] else { return nil }
        guard let number = value.int, range.contains(number) else {
            throw fail(section, key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func double(_ table: TOMLTable?, _ key: String, section: String, range: ClosedRange<Double>) throws(ConfigError) -> Double? {
        guard let value = table?[key] else { return nil }
        guard let number = value.double ?? value.int.map(Double.init), range.contains(number) else {
            throw fail(section, key, "must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// The line of `key = …` within `[section]`, found in the text (TOMLKit keeps no positions).
    func line(of key: String, in section: String) -> Int? {
        var inSection = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                inSection = line == "[\(section)]"
                continue
            }
            if inSection, line.hasPrefix(key), line.dropFirst(key.count).trimmingCharacters(in: .whitespaces).hasPrefix("=") {
                return index + 1
            }
        }
        return nil
    }

    func line(ofSection section: String) -> Int? {
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
            $0.trimmingCharacters(in: .whitespaces) == "[\(section)]"
        }.map { $0 + 1 }
    }
}
