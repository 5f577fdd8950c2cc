/// The 「貴県からの掲載」 variants of a rendered part: the template renders one block per
/// prefecture with items (`{{#prefecture_blocks}}{{{marker}}}…{{/prefecture_blocks}}{{{yours_end}}}`),
/// and they are cut out here, leaving one marker where each reader's own block is spliced in.
struct PrefectureBlocks: Sendable, Equatable {
    /// The rendered part with the variants replaced by `Marker.yourPrefecture`.
    let text: String
    /// Each prefecture's block, by JIS code.
    let blocks: [Int: String]

    init(cutting rendered: String) {
        typealias Marker = Personalization.Marker
        guard let end = rendered.range(of: Marker.prefectureEnd) else {
            text = rendered
            blocks = [:]
            return
        }
        let region = rendered[..<end.lowerBound]
        guard let first = region.range(of: Marker.variantPrefix) else {
            text = rendered.replacingCharacters(in: end, with: Marker.yourPrefecture)
            blocks = [:]
            return
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
    }
}
