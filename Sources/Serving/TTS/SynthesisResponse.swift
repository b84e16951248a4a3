import Audio
import Foundation

/// Synthesised audio as an HTTP response: `audio/wav` with the sample's details in `X-` headers,
/// or JSON with the 16-bit WAV in base64 and the same details as fields.
enum SynthesisResponse {
    struct JSONBody: Encodable {
        let audio: String
        let contentType = "audio/wav"
        let sampleRate: Int
        let seconds: Double
        let seed: UInt64
        let stopped: Bool
        let model: String
        let voice: String?

        enum CodingKeys: String, CodingKey {
            case audio, seconds, seed, stopped, model, voice
            case contentType = "content_type"
            case sampleRate = "sample_rate"
        }
    }

    static func make(_ audio: SpeechService.SynthesizedAudio, format: AudioResponseFormat) throws -> Response {
        let encoding: AudioFileFormat.Encoding = format == .wav32 ? .float32 : .pcm16
        let wav: [UInt8]
        do {
            wav = try AudioEncoder.wavBytes(audio.waveform, encoding: encoding)
        } catch {
            throw APIError.internal("could not encode the audio: \(error)")
        }
        let seconds = (audio.waveform.duration * 1000).rounded() / 1000
        if format == .json {
            return .json(JSONBody(audio: Data(wav).base64EncodedString(), sampleRate: audio.waveform.sampleRate,
                                  seconds: seconds, seed: audio.seed, stopped: audio.stopped, model: audio.model,
                                  voice: audio.voiceID))
        }
        var headers: HTTPHeaders = [
            "Content-Type": "audio/wav",
            "X-Seed": String(audio.seed),
            "X-Audio-Seconds": String(seconds),
            "X-Stopped": String(audio.stopped),
            "X-Model": audio.model,
            "X-Batch-Size": String(audio.batchSize),
        ]
        if let voice = audio.voiceID { headers.set("X-Voice", voice) }
        return Response(status: 200, headers: headers, body: wav)
    }
}
