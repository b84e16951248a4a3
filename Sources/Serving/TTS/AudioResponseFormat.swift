/// How synthesised audio is returned: WAV bytes (16-bit PCM or 32-bit float) or JSON with the
/// 16-bit WAV in base64 and the sample's details.
enum AudioResponseFormat: String, CaseIterable, Sendable {
    case wav16, wav32, json

    static func parse(_ name: String?) throws -> AudioResponseFormat {
        guard let name else { return .wav16 }
        guard let format = AudioResponseFormat(rawValue: name) else {
            let known = allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError.unprocessable("response_format: '\(name)' is not one of \(known)", code: "invalid_response_format")
        }
        return format
    }
}
