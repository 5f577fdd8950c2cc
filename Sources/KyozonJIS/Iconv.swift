import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One glibc iconv descriptor. Not Sendable: iconv keeps shift state, so each caller makes its own.
final class IconvConverter {
    private let descriptor: iconv_t

    /// nil when glibc does not know one of the encodings.
    init?(from source: String, to target: String) {
        let cd = iconv_open(target, source)
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        descriptor = cd!
    }

    deinit { iconv_close(descriptor) }

    /// Converts `input` as one complete text: from the initial shift state, ending with the
    /// sequence that returns to it (ESC ( B for ISO-2022-JP). nil when any character cannot
    /// be converted or the input is invalid.
    func convert(_ input: [UInt8]) -> [UInt8]? {
        guard !input.isEmpty else { return [] }
        _ = iconv(descriptor, nil, nil, nil, nil)  // a failed earlier call may have left a shift state
        var input = input
        // ISO-2022-JP needs at most 4 output bytes per input byte (an escape before an ASCII byte).
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        var produced = 0
        let ok: Bool = input.withUnsafeMutableBytes { inRaw in
            var inPointer: UnsafeMutablePointer<CChar>? = inRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
            var inLeft = inRaw.count
            // flush: the final call that writes the return-to-initial-state sequence.
            func step(flush: Bool) -> Int32? {
                output.withUnsafeMutableBytes { outRaw in
                    var outPointer: UnsafeMutablePointer<CChar>? =
                        outRaw.baseAddress!.assumingMemoryBound(to: CChar.self) + produced
                    var outLeft = outRaw.count - produced
                    let result =
                        flush
                        ? iconv(descriptor, nil, nil, &outPointer, &outLeft)
                        : iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                    let error = errno
                    produced = outRaw.count - outLeft
                    return result == -1 ? error : nil
                }
            }
            for flush in [false, true] {
                while let error = step(flush: flush) {
                    guard error == E2BIG else { return false }
                    output += [UInt8](repeating: 0, count: output.count)
                }
            }
            return inLeft == 0
        }
        return ok ? Array(output[..<produced]) : nil
    }

    /// `convert` with a one-off descriptor.
    static func convert(_ input: [UInt8], from source: String, to target: String) -> [UInt8]? {
        IconvConverter(from: source, to: target)?.convert(input)
    }
}
