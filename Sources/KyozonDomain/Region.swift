/// The usual regional grouping of Japan's prefectures, in the order readers expect.
public enum Region: Int, Sendable, CaseIterable, Comparable {
    case hokkaidoTohoku
    case kanto
    case chubu
    case kinki
    case chugoku
    case shikoku
    case kyushuOkinawa

    /// The region's Japanese name, as printed in the issue.
    public var label: String {
        switch self {
        case .hokkaidoTohoku: "北海道・東北"
        case .kanto: "関東"
        case .chubu: "中部"
        case .kinki: "近畿"
        case .chugoku: "中国"
        case .shikoku: "四国"
        case .kyushuOkinawa: "九州・沖縄"
        }
    }

    public static func < (lhs: Region, rhs: Region) -> Bool { lhs.rawValue < rhs.rawValue }
}
