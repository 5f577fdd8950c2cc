/// The 「貴県からの掲載」 variants of a rendered part: the template renders one block per
/// prefecture with items (`{{#prefecture_blocks}}{{{marker}}}…{{/prefecture_blocks}}{{{yours_end}}}`),
/// and they are cut out here, leaving one marker where each reader's own block is spliced in.
struct PrefectureBlocks: Sendable, Equatable {
    /// The rendered part with the variants replaced by `Marker.yourPrefecture`.
    let text: String
    /// Each prefecture's block, by JIS code.
    let blocks: [Int: String]

    /// Cuts the blocks out of `rendered` (the `part` named in errors). A template that shows
    /// no blocks at all is accepted; one whose markers are missing or misplaced is refused, since
    /// it would put every prefecture's block in every reader's copy. `expected`: the prefectures
    /// with items, each of which must have its block.
    init(cutting rendered: String, part: String, expected: Set<Int>) throws(TemplateError) {
        typealias Marker = Personalization.Marker
        let end = rendered.range(of: Marker.prefectureEnd)
        let first = rendered.range(of: Marker.variantPrefix)
        guard let end else {
            if first != nil {
                throw .prefectureBlocks(part: part, problem: "{{{marker}}} is used but {{{yours_end}}} does not follow {{/prefecture_blocks}}")
            }
            text = rendered
            blocks = [:]
            return
        }
        guard let first, first.lowerBound < end.lowerBound else {
            if expected.isEmpty {
                text = rendered.replacingCharacters(in: end, with: Marker.yourPrefecture)
                blocks = [:]
                return
            }
            throw .prefectureBlocks(part: part, problem: "{{{yours_end}}} is used but no block starts with {{{marker}}} inside {{#prefecture_blocks}}")
        }
        var blocks: [Int: String] = [:]
        var rest = rendered[first.lowerBound..<end.lowerBound]
        while let start = rest.range(of: Marker.variantPrefix) {
            let afterPrefix = rest[start.upperBound...]
            guard let close = afterPrefix.firstIndex(of: "\u{F8F1}"), let code = Int(afterPrefix[..<close]) else { break }
            let body = rest[afterPrefix.index(after: close)...]
            let next = body.range(of: Marker.variantPrefix)?.lowerBound ?? body.endIndex
            blocks[code] = String(body[..<next])
            rest = body[next...]
        }
        self.blocks = blocks
        // A line that holds only the end marker leaves no empty line behind.
        var after = rendered[end.upperBound...]
        if after.hasPrefix("\n") { after = after.dropFirst() }
        self.text = String(rendered[..<first.lowerBound]) + Marker.yourPrefecture + String(after)
        if text.contains(Marker.variantPrefix) || text.contains(Marker.prefectureEnd) {
            throw .prefectureBlocks(part: part, problem: "{{{marker}}} or {{{yours_end}}} is used more than once, or outside {{#prefecture_blocks}}")
        }
        if Set(blocks.keys) != expected {
            throw .prefectureBlocks(part: part, problem: "each block must start with {{{marker}}}; blocks found for \(blocks.count) of \(expected.count) prefectures")
        }
    }
}
