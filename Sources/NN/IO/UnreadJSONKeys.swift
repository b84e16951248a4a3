import Foundation

/// The keys of a JSON document that decoding ignored: a misspelt recipe key (`lerning_rate`)
/// or one that belongs to another kind of recipe would otherwise fall back to its default
/// without a word, and a run of hours would train something else than its recipe says.
///
/// Found by encoding the decoded value back and comparing the two trees: a key of the document
/// with no counterpart in the re-encoded value was not read. Keys compare without case and
/// underscores, so snake_case documents match camelCase properties; keys set to `null` count as
/// read (an optional left out encodes as nothing).
public enum UnreadJSONKeys {
    /// A document with keys its type does not read.
    public struct Refused: Error, CustomStringConvertible {
        public let keys: [String]
        public var description: String { "unknown keys \(keys.joined(separator: ", "))" }
    }

    /// Decodes `T` from `document` with `decoder`; throws `Refused` when a key went unread.
    public static func decodeStrictly<T: Codable>(_ type: T.Type, from document: Data,
                                                  decoder: JSONDecoder = JSONDecoder()) throws -> T {
        let value = try decoder.decode(type, from: document)
        let unread = try find(in: document, decoded: value)
        guard unread.isEmpty else { throw Refused(keys: unread) }
        return value
    }

    /// Dotted paths (`model.lm.layrs`, `schedule[2].steps`) of the keys `document` holds and
    /// `decoded` does not, sorted.
    public static func find<T: Encodable>(in document: Data, decoded: T) throws -> [String] {
        let read = try JSONSerialization.jsonObject(with: JSONEncoder().encode(decoded), options: [.fragmentsAllowed])
        let given = try JSONSerialization.jsonObject(with: document, options: [.fragmentsAllowed])
        var unread: [String] = []
        collect(given, read, path: "", into: &unread)
        return unread.sorted()
    }

    private static func collect(_ given: Any, _ read: Any, path: String, into unread: inout [String]) {
        if let given = given as? [String: Any], let read = read as? [String: Any] {
            let readByKey = Dictionary(read.map { (canonical($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
            for (key, value) in given where !(value is NSNull) {
                let child = path.isEmpty ? key : "\(path).\(key)"
                if let counterpart = readByKey[canonical(key)] {
                    collect(value, counterpart, path: child, into: &unread)
                } else {
                    unread.append(child)
                }
            }
        } else if let given = given as? [Any], let read = read as? [Any], given.count == read.count {
            for (index, (element, counterpart)) in zip(given, read).enumerated() {
                collect(element, counterpart, path: "\(path)[\(index)]", into: &unread)
            }
        }
    }

    private static func canonical(_ key: String) -> String { key.replacingOccurrences(of: "_", with: "").lowercased() }
}
