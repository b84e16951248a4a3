/// Strict decoding: a field that the type does not know is an error, not silently ignored, so a
/// typo (`"prot": 8080`) is reported instead of leaving the default in force.
extension Decoder {
    /// Throws `DecodingError.dataCorrupted` naming the first key of the current object that is
    /// not one of `Keys`.
    public func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let known = Set(Keys.allCases.map(\.stringValue))
        let container = try self.container(keyedBy: AnyKey.self)
        for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where !known.contains(key.stringValue) {
            let expected = Keys.allCases.map(\.stringValue).joined(separator: ", ")
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath + [key],
                debugDescription: "unknown field (known fields: \(expected))"))
        }
    }
}

/// A coding key for any string, used to list the keys an object actually has.
struct AnyKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }
    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}
