import Audio
import Foundation

/// Audio sent by a client (base64 in JSON, or a file part of a form), checked and decoded to
/// 16 kHz mono: a prompt voice, or a clip to score. Bad base64 is 400; bytes that are not
/// audio, truncated, empty, too short or too long are 422.
enum AudioUpload {
    /// A prompt shorter than this carries too little of a voice (and under one token, nothing).
    static let minimumPromptSeconds = 0.5

    static func decode(base64 text: String, field: String, maxSeconds: Double,
                       minimumSeconds: Double = minimumPromptSeconds) throws -> Waveform {
        guard let bytes = Data(base64Encoded: text) else {
            throw APIError.badRequest("\(field): not valid base64", code: "invalid_base64")
        }
        return try decode(bytes: [UInt8](bytes), field: field, maxSeconds: maxSeconds, minimumSeconds: minimumSeconds)
    }

    static func decode(bytes: [UInt8], field: String, maxSeconds: Double,
                       minimumSeconds: Double = minimumPromptSeconds) throws -> Waveform {
        let audio: Waveform
        do {
            audio = try AudioDecoder.decode(bytes: bytes, limits: AudioDecodingLimits(maximumSeconds: maxSeconds))
        } catch {
            throw APIError.unprocessable("\(field): \(error)", code: "invalid_audio")
        }
        guard audio.duration >= minimumSeconds else {
            throw APIError.unprocessable(
                "\(field): the audio is \(String(format: "%.2f", audio.duration)) s; at least \(minimumSeconds) s is needed",
                code: "invalid_audio")
        }
        return audio
    }
}
