import Foundation

/// The Nu HTML checker (Tests/Support/validate_html.py) on a page's HTML.
public enum HTMLChecker {
    /// The checker's messages when the page has errors, or nil when it has none.
    public static func errors(in html: String, name: String) throws -> String? {
        let folder = try TemporaryDirectory("kyozon-nu")
        let file = try folder.write(name + ".html", html)
        let out = try ProcessRunner.run(PackagePaths.python, [PackagePaths.path("Tests/Support/validate_html.py"), file])
        if out.status == 2 { throw CaptureError("the Nu checker could not run: \(out.stderr)") }
        return out.status == 0 ? nil : out.stdout
    }
}
