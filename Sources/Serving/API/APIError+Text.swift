import Text

extension APIError {
    /// The API error for a text the phonemizer refused: the caller's input (422), except a
    /// broken espeak-ng installation, which is the server's fault (500).
    init(textError: TextError, field: String) {
        switch textError {
        case .phonemizerUnavailable, .unknownLanguage:
            self = .internal("the phonemizer is unavailable: \(textError)")
        case .empty, .onlyControlCharacters, .nothingToSpeak:
            self = .unprocessable("\(field): \(textError)", code: "invalid_text")
        case .tooLong:
            self = .unprocessable("\(field): \(textError)", code: "text_too_long")
        case .unknownTokenID:
            self = .unprocessable("\(field): \(textError)", code: "invalid_text")
        }
    }
}
