/// The template source as UTF-8 bytes, with its file name and a line index
/// so errors can name the line of the offending rule or tag.
struct SourceText: Sendable {
    let bytes: [UInt8]
    let fileName: String
    /// Byte offset at which each line starts; `lineStarts[0] == 0`.
    private let lineStarts: [Int]

    init(_ text: String, fileName: String) {
        self.init(bytes: Array(text.utf8), fileName: fileName)
    }

    init(bytes: [UInt8], fileName: String) {
        self.bytes = bytes
        self.fileName = fileName
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == ASCII.newline {
            starts.append(offset + 1)
        }
        lineStarts = starts
    }

    /// 1-based line number of the byte at `offset`.
    func line(at offset: Int) -> Int {
        // Binary search for the last line start <= offset.
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low + 1
    }

    func string(_ range: Range<Int>) -> String { Bytes.string(bytes, range) }

    /// An error located at `offset` in this source.
    func error(_ problem: CSSInlinerError.Problem, at offset: Int) -> CSSInlinerError {
        CSSInlinerError(fileName: fileName, line: line(at: offset), problem: problem)
    }
}
