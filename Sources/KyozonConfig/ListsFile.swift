import KyozonDomain
import TOMLKit

/// `Subscribers/lists.toml`: the lists, as tables `[lists.ID]` with `name`, `description`,
/// `public` and `allow`.
///
/// ```toml
/// [lists.kyoei]
/// name = "KYOZON KYOEI（都道府県職員向け）"
/// description = "毎月の各地のイベント・特産品・連携事例"
/// public = true
/// allow = ["metro.tokyo.lg.jp", "*.lg.jp", "pref.*.jp"]
/// ```
public enum ListsFile {
    static let known = ["name", "description", "public", "allow"]

    public static func parse(_ text: String, file: String) throws(ConfigError) -> [MailingList] {
        let reader = try TOMLReader(file: file, text: text)
        for key in reader.root.keys where key != "lists" {
            throw ConfigError(
                file: file, line: reader.line(ofSection: key), key: "[\(key)]",
                message: "unknown table; define each list as [lists.ID]")
        }
        guard let lists = try reader.section("lists", known: reader.root["lists"]?.table?.keys ?? []) else {
            throw ConfigError(file: file, line: nil, key: "", message: "defines no list; add a table such as [lists.kyoei] with name = \"…\"")
        }
        var result: [MailingList] = []
        for id in lists.keys.sorted() {
            let path = "lists.\(id)"
            guard MailingList.isValidID(id) else {
                throw ConfigError(
                    file: file, line: reader.line(ofSection: path), key: "[\(path)]",
                    message: "\"\(id)\" is not a usable list id; use lower-case letters, digits and -, starting with a letter (at most 40)")
            }
            let table = try reader.section(id, of: lists, known: known, path: path)
            guard let name = try reader.string(table, "name", section: path), !name.isEmpty else {
                throw ConfigError(
                    file: file, line: reader.line(ofSection: path), key: "[\(path)] name",
                    message: "is required: the list's Japanese name shown to readers")
            }
            let description = try reader.string(table, "description", section: path) ?? ""
            var isPublic = true
            if let value = table?["public"] {
                guard let flag = value.bool else { throw reader.fail(path, "public", "must be true or false") }
                isPublic = flag
            }
            var allowed: [String] = []
            if let value = table?["allow"] {
                guard let array = value.array, array.allSatisfy({ $0.string != nil }) else {
                    throw reader.fail(path, "allow", "must be a list of mail domains in double quotes, such as [\"metro.tokyo.lg.jp\", \"*.lg.jp\"]")
                }
                allowed = array.compactMap(\.string)
                if let bad = allowed.first(where: { !MailingList.isValidPattern($0) }) {
                    throw reader.fail(path, "allow", "\"\(bad)\" is not a mail domain pattern; write labels of letters, digits and -, with * for any (*.lg.jp, pref.*.jp)")
                }
            }
            result.append(MailingList(id: id, name: name, description: description, isPublic: isPublic, allowedDomains: allowed))
        }
        return result
    }
}
