/// Why a text cannot be turned into phoneme tokens. Each case is the caller's input problem
/// (HTTP 422) except `phonemizerUnavailable`, which is a deployment problem.
public enum TextError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing but whitespace (or nothing at all).
    case empty
    /// Only control or invisible format characters, which normalisation removes.
    case onlyControlCharacters
    /// More characters (after normalisation) than the limit.
    case tooLong(characters: Int, limit: Int)
    /// Text with no speakable content, e.g. only punctuation or symbols espeak-ng ignores.
    case nothingToSpeak
    /// espeak-ng has no voice/language by this name.
    case unknownLanguage(String)
    /// espeak-ng could not be initialised (missing data directory, broken install).
    case phonemizerUnavailable(reason: String)
    /// A token id outside the vocabulary (decoding a corrupted sequence).
    case unknownTokenID(Int32)

    public var description: String {
        switch self {
        case .empty: return "text is empty"
        case .onlyControlCharacters: return "text contains only control characters"
        case .tooLong(let count, let limit): return "text has \(count) characters; the limit is \(limit)"
        case .nothingToSpeak: return "text contains nothing speakable"
        case .unknownLanguage(let name): return "espeak-ng has no voice '\(name)'"
        case .phonemizerUnavailable(let reason): return "phonemizer unavailable: \(reason)"
        case .unknownTokenID(let id): return "token id \(id) is not in the vocabulary"
        }
    }
}
