import Audio
import Foundation

/// Prompt audio sent by a client (base64 in JSON), checked and decoded to 16 kHz mono.
/// Bad base64 is 400; bytes that are not audio, truncated, empty, too short or too long are 422.
enum PromptAudioUpload {
    /// A prompt shorter than this carries too little of a voice (and under one token, nothing).
    static let minimumSeconds = 0.5

    static func decode(base64 text: String, field: String, maxSeconds: Double) throws -> Waveform {
        guard let bytes = Data(base64Encoded: text) else {
            throw APIError.badRequest("\(field): not valid base64", code: "invalid_base64")
        }
        return try decode(bytes: [UInt8](bytes), field: field, maxSeconds: maxSeconds)
    }

    static func decode(bytes: [UInt8], field: String, maxSeconds: Double) throws -> Waveform {
        let audio: Waveform
        do {
            audio = try AudioDecoder.decode(bytes: bytes, limits: AudioDecodingLimits(maximumSeconds: maxSeconds))
        } catch {
            throw APIError.unprocessable("\(field): \(error)", code: "invalid_audio")
        }
        guard audio.duration >= minimumSeconds else {
            throw APIError.unprocessable(
                "\(field): prompt audio is \(String(format: "%.2f", audio.duration)) s; at least \(minimumSeconds) s is needed",
                code: "invalid_audio")
        }
        return audio
    }
}
