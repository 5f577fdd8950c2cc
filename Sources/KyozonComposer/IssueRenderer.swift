import KyozonDomain

/// The issue rendered once: HTML and text with markers where personal values go.
public struct RenderedIssue: Sendable {
    public let subject: String
    public let html: String
    public let text: String

    /// The HTML and text for one reader.
    public func personalized(_ person: Personalization) -> (html: String, text: String) {
        (person.apply(to: html, html: true), person.apply(to: text, html: false))
    }
}

/// Renders an issue's content through the HTML and text templates.
///
/// ```swift
/// let rendered = IssueRenderer(templates: try TemplateSet(directory: "Templates")).render(content)
/// ```
public struct IssueRenderer: Sendable {
    public let templates: TemplateSet

    public init(templates: TemplateSet) {
        self.templates = templates
    }

    public func render(_ content: IssueContent) -> RenderedIssue {
        let context = IssueView.context(for: content)
        return RenderedIssue(
            subject: content.effectiveTitle,
            html: templates.renderHTML(TemplateSet.htmlIssue, context),
            text: templates.renderText(TemplateSet.textIssue, context))
    }
}
