import Foundation

/// Checks a template's tags before anything is rendered: swift-mustache renders an unknown
/// partial or variable as nothing, so a typo would silently drop, say, the unsubscribe link.
enum TemplateCheck {
    /// Every name a template may use, at any depth (see `IssueView`).
    static let knownNames: Set<String> = IssueView.topLevelKeys.union(IssueView.nestedKeys).union(["."])

    static func check(
        _ source: String, path: String, partials: Set<String>, partialsFolder: String, known: Set<String> = knownNames
    ) throws(TemplateError) {
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for tag in tags(in: String(line)) {
                let body = tag.trimmingCharacters(in: .whitespaces)
                guard let sigil = body.first else { continue }
                switch sigil {
                case "!", "%", "=":
                    continue
                case ">":
                    let name = body.dropFirst().trimmingCharacters(in: .whitespaces)
                    if !partials.contains(name) {
                        throw .unknownPartial(
                            path: path, line: index + 1, name: name, tried: "\(partialsFolder)/\(name).mustache")
                    }
                default:
                    var name = body
                    if "#^/&{".contains(sigil) { name = String(name.dropFirst()) }
                    if name.hasSuffix("}") { name.removeLast() }
                    name = name.trimmingCharacters(in: .whitespaces)
                    for component in name.split(separator: ".") where !known.contains(String(component)) {
                        throw .unknownVariable(path: path, line: index + 1, name: name)
                    }
                }
            }
        }
    }

    /// The contents of each `{{…}}` or `{{{…}}}` on a line.
    static func tags(in line: String) -> [String] {
        var result: [String] = []
        var rest = Substring(line)
        while let open = rest.range(of: "{{") {
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}") else { break }
            var body = String(after[..<close.lowerBound])
            var end = close.upperBound
            if body.hasPrefix("{"), after[close.upperBound...].hasPrefix("}") {
                body = String(body.dropFirst())
                end = after.index(after: close.upperBound)
            }
            result.append(body)
            rest = after[end...]
        }
        return result
    }
}
