import Foundation

/// The same value always serialises to the same text: keys sorted by their UTF-8 bytes,
/// no insignificant space, only the escapes JSON requires. The fingerprint that makes a
/// second collection of the same item change nothing is taken over this text.
///
/// Written here because Foundation's `.sortedKeys` sorts through `AnyHashable` with an
/// insertion sort and was a quarter of the collector's time.
enum CanonicalJSON {
    static func serialize(_ value: Any) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    private static func write(_ value: Any, into out: inout String) {
        switch value {
        case let string as String:
            writeString(string, into: &out)
        case let number as NSNumber:
            if isBoolean(number) {
                out += number.boolValue ? "true" : "false"
            } else if CFNumberIsFloatType(number) {
                let double = number.doubleValue
                out += double.isFinite ? "\(double)" : "null"
            } else {
                out += number.stringValue
            }
        case let array as [Any]:
            out += "["
            for (index, element) in array.enumerated() {
                if index > 0 { out += "," }
                write(element, into: &out)
            }
            out += "]"
        case let object as [String: Any]:
            out += "{"
            for (index, key) in object.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if index > 0 { out += "," }
                writeString(key, into: &out)
                out += ":"
                write(object[key]!, into: &out)
            }
            out += "}"
        default:
            out += "null"
        }
    }

    private static func writeString(_ string: String, into out: inout String) {
        if !string.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += "\"" + string + "\""
            return
        }
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// Whether an NSNumber holds a floating-point value (JSON `1.5`, not `2`).
    private static func CFNumberIsFloatType(_ number: NSNumber) -> Bool {
        let type = String(cString: number.objCType)
        return type == "d" || type == "f"
    }
}
