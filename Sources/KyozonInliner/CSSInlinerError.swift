/// A template that the inliner cannot handle, reported at template load.
///
/// `description` reads like
/// `Templates/issue.html.mustache line 12: the CSS selector "a:hover" is not supported (...)`.
public struct CSSInlinerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Problem: Sendable, Equatable {
        /// A selector outside the supported subset (type, `.class`, `#id`, descendant).
        /// `rule` is the rule's full selector text (the whole comma-separated list);
        /// `hint` is advice specific to the offending part, if any.
        case unsupportedSelector(selector: String, rule: String, hint: String?)
        /// An at-rule other than `@media`, e.g. `@font-face` or `@import`.
        case unsupportedAtRule(name: String)
        /// CSS the parser cannot read (missing brace, declaration without a colon, ...).
        case invalidCSS(String)
        /// HTML the tokenizer cannot read (unclosed tag, comment or attribute value, ...).
        case invalidHTML(String)
        /// An end tag that does not close the innermost open element.
        /// `openElement`/`openedOnLine` describe that innermost element, if there is one.
        case unmatchedEndTag(tag: String, openElement: String?, openedOnLine: Int?)
    }

    /// The template's name as passed by the caller, e.g. `Templates/issue.html.mustache`.
    public let fileName: String
    /// 1-based line in the template source.
    public let line: Int
    public let problem: Problem

    public init(fileName: String, line: Int, problem: Problem) {
        self.fileName = fileName
        self.line = line
        self.problem = problem
    }

    /// The message without the file and line prefix.
    public var message: String {
        switch problem {
        case let .unsupportedSelector(selector, rule, hint):
            let inRule = selector == rule ? "" : " in rule \"\(rule)\""
            let advice = hint.map { "; \($0)" } ?? ""
            return "the CSS selector \"\(selector)\"\(inRule) is not supported "
                + "(supported: type, .class, #id, and descendant selectors such as \".item td a\"\(advice))"
        case let .unsupportedAtRule(name):
            return "the CSS at-rule \"\(name)\" is not supported (only @media blocks are allowed; "
                + "they are kept in a <style> element in the head)"
        case let .invalidCSS(message), let .invalidHTML(message):
            return message
        case let .unmatchedEndTag(tag, openElement?, openedOnLine?):
            return "the end tag </\(tag)> does not match the open element <\(openElement)> from line \(openedOnLine) "
                + "(close elements in order; only void elements such as <br> may be left open)"
        case let .unmatchedEndTag(tag, _, _):
            return "the end tag </\(tag)> has no matching start tag"
        }
    }

    public var description: String { "\(fileName) line \(line): \(message)" }
}
