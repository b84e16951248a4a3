import Foundation

/// Turns Foundation's decoding errors into one line that names the field, e.g.
/// `limits.max_body_bytes: expected an integer (Int), found a string`.
extension DecodingError {
    public var readableDescription: String {
        switch self {
        case let .typeMismatch(type, context):
            return "\(Self.path(context.codingPath)): expected \(Self.kind(of: type)), \(Self.found(context))"
        case let .valueNotFound(type, context):
            return "\(Self.path(context.codingPath)): expected \(Self.kind(of: type)), found null"
        case let .keyNotFound(key, context):
            return "\(Self.path(context.codingPath + [key])): required field is missing"
        case let .dataCorrupted(context):
            return Self.dataCorruptedDescription(context)
        @unknown default:
            return "\(self)"
        }
    }

    /// `a.b[2].c`, or `(top level)` for the document itself.
    static func path(_ codingPath: [CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "(top level)" : text
    }

    private static func dataCorruptedDescription(_ context: Context) -> String {
        // A JSON syntax error: the parser's own message carries the position, where it gives one.
        if let underlying = context.underlyingError {
            let nsError = underlying as NSError
            let detail = nsError.userInfo[NSDebugDescriptionErrorKey] as? String ?? nsError.localizedDescription
            return "not valid JSON: \(detail)"
        }
        if context.codingPath.isEmpty { return context.debugDescription }
        return "\(path(context.codingPath)): \(context.debugDescription)"
    }

    private static func kind(of type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt16.Type, is UInt.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is [Any].Type: return "an array"
        case is [String: Any].Type: return "an object"
        default: return "\(type)"
        }
    }

    private static func found(_ context: Context) -> String {
        // Foundation phrases this as "Expected to decode X but found Y instead."
        if let range = context.debugDescription.range(of: "but found ") {
            let rest = context.debugDescription[range.upperBound...]
            return "found " + rest.replacingOccurrences(of: " instead.", with: "")
        }
        return context.debugDescription
    }
}

