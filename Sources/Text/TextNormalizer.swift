import Foundation

/// Cleans raw text before phonemisation. Numbers, dates and abbreviations are left to
/// espeak-ng, which expands them itself (DESIGN §5).
///
/// Steps: Unicode NFC; control (Cc) and invisible format (Cf) characters removed, except that
/// tabs and line breaks count as spaces; typographic quotes, dashes and ellipses mapped to the
/// vocabulary's punctuation; whitespace runs collapsed to one space; ends trimmed.
public struct TextNormalizer: Sendable {
    /// Longest accepted text after normalisation, characters. 2,000 characters is ~2-3 minutes
    /// of speech, beyond what the ARDM's context holds; longer texts should be split by callers.
    public static let defaultMaximumCharacters = 2_000

    public var maximumCharacters: Int

    public init(maximumCharacters: Int = TextNormalizer.defaultMaximumCharacters) {
        self.maximumCharacters = maximumCharacters
    }

    /// Typographic characters and their plain replacements.
    static let replacements: [Character: String] = [
        "\u{201C}": "\"", "\u{201D}": "\"", "\u{201E}": "\"", "\u{00AB}": "\"", "\u{00BB}": "\"",
        "\u{2018}": "'", "\u{2019}": "'", "\u{201B}": "'", "\u{2032}": "'",
        "\u{2013}": " \u{2014} ", "\u{2014}": " \u{2014} ", "\u{2015}": " \u{2014} ",
        "\u{2026}": "\u{2026}", "\u{00A0}": " ",
    ]

    public func normalize(_ text: String) throws(TextError) -> String {
        if text.allSatisfy({ $0.isWhitespace }) { throw .empty }
        var cleaned = ""
        cleaned.reserveCapacity(text.utf8.count)
        var sawVisible = false
        for character in text.precomposedStringWithCanonicalMapping {
            if character.isWhitespace { cleaned.append(" "); continue }
            if character.unicodeScalars.allSatisfy({ Self.isControlOrFormat($0) }) { continue }
            sawVisible = true
            if let replacement = Self.replacements[character] { cleaned += replacement } else { cleaned.append(character) }
        }
        guard sawVisible else { throw .onlyControlCharacters }
        // "..." and a hyphen standing alone between spaces are punctuation, not letters.
        cleaned = cleaned.replacingOccurrences(of: "...", with: "\u{2026}")
        let words = cleaned.split(separator: " ").map { $0 == "-" || $0 == "--" ? "\u{2014}" : String($0) }
        let result = words.joined(separator: " ")
        guard !result.isEmpty else { throw .empty }
        guard result.count <= maximumCharacters else { throw .tooLong(characters: result.count, limit: maximumCharacters) }
        return result
    }

    static func isControlOrFormat(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: return true
        default: return false
        }
    }
}
