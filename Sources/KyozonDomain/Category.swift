/// The kind of an item; the order of the cases is the order of the sections.
public enum Category: String, Sendable, CaseIterable, Comparable {
    case event
    case campaign
    case product
    case collaboration
    case migration
    case tourism
    case report
    case other

    /// The Japanese label used in the issue and accepted in submissions.
    public var label: String {
        switch self {
        case .event: "イベント"
        case .campaign: "キャンペーン"
        case .product: "特産品"
        case .collaboration: "連携事業"
        case .migration: "移住・定住"
        case .tourism: "観光"
        case .report: "取材レポート"
        case .other: "その他"
        }
    }

    /// Accepts the code (`event`, any case) or the Japanese label (`イベント`).
    public init?(codeOrLabel text: String) {
        let key = text.trimmingWhitespace()
        if let byCode = Category(rawValue: key.lowercased()) {
            self = byCode
        } else if let byLabel = Category.allCases.first(where: { $0.label == key }) {
            self = byLabel
        } else {
            return nil
        }
    }

    /// Every accepted spelling, for error messages.
    public static var acceptedValues: String {
        allCases.map { "\($0.rawValue) (\($0.label))" }.joined(separator: ", ")
    }

    public static func < (lhs: Category, rhs: Category) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
