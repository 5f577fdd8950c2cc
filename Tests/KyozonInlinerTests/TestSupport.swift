import KyozonInliner
import XCTest

/// The file name passed to the inliner in tests.
let testFileName = "Templates/test.html.mustache"

/// Inlines a template made of a `<style>` block (alone on line 1, so it is
/// removed with its line when it holds no @media) followed by `body`.
func inlined(css: String, body: String) throws -> String {
    try CSSInliner().inline("<style>\(css)</style>\n\(body)", fileName: testFileName)
}

/// The error thrown for `template`, or nil (and a test failure) if it did not throw.
func inlineError(
    _ template: String, fileName: String = testFileName, file: StaticString = #filePath, line: UInt = #line
) -> CSSInlinerError? {
    do {
        let output = try CSSInliner().inline(template, fileName: fileName)
        XCTFail("expected an error, got output:\n\(output)", file: file, line: line)
        return nil
    } catch {
        return error
    }
}
