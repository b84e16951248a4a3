import Audio
import Foundation

/// Synthesised audio as an HTTP response: `audio/wav` with the sample's details in `X-` headers,
/// or JSON with the 16-bit WAV in base64 and the same details as fields.
///
/// With scores (`/v1/tts`), the returned sample's rewards come as `X-Reward-*` headers (see
/// `ScoreReport.headerName`) or as `scores` and `skipped`; best-of-K adds `X-Best-Of` and, in
/// JSON only, every candidate's seed and scores. `X-Seed` is the returned sample's own seed: a
/// plain request with that seed samples it again (alone rather than in the candidates' batch,
/// so up to the rounding of other matrix shapes).
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
        let guidance: Guidance?
        let scores: [String: Double]?
        let skipped: [String: String]?
        let candidates: [Candidate]?

        enum CodingKeys: String, CodingKey {
            case audio, seconds, seed, stopped, model, voice, guidance, scores, skipped, candidates
            case contentType = "content_type"
            case sampleRate = "sample_rate"
        }
    }

    struct Guidance: Encodable {
        let valueModel: String
        let scale: Double

        enum CodingKeys: String, CodingKey {
            case scale
            case valueModel = "value_model"
        }
    }

    /// One best-of-K candidate (skipped rewards are the same for all, at the top level).
    struct Candidate: Encodable {
        let seed: UInt64
        let seconds: Double
        let stopped: Bool
        let scores: [String: Double]
        let chosen: Bool
    }

    /// The WAV file of a clip in the response's format (JSON carries the 16-bit one).
    static func wavBytes(_ clip: SpeechService.Clip, format: AudioResponseFormat) throws -> [UInt8] {
        do {
            return try AudioEncoder.wavBytes(clip.waveform, encoding: format == .wav32 ? .float32 : .pcm16)
        } catch {
            throw APIError.internal("could not encode the audio: \(error)")
        }
    }

    /// The samples a client decodes from `wav`: what the rewards score, so that a response's
    /// scores are those of the file it returns (16-bit rounding included), as `/v1/score` would
    /// give for that file.
    static func decodedSamples(_ wav: [UInt8]) throws -> [Float] {
        do {
            return try AudioDecoder.decode(bytes: wav).samples
        } catch {
            throw APIError.internal("could not decode the audio just encoded: \(error)")
        }
    }

    /// `wavs[i]` is the WAV of `synthesis.clips[i]` in `format`.
    static func make(_ synthesis: SpeechService.Synthesis, wavs: [[UInt8]], scored: ScoredCandidates?,
                     format: AudioResponseFormat) -> Response {
        let index = scored?.chosen ?? 0
        let clip = synthesis.clips[index]
        let report = scored?.reports[index]
        if format == .json {
            let candidates = scored?.bestOf == nil ? nil : synthesis.clips.indices.map { i in
                Candidate(seed: synthesis.clips[i].seed, seconds: seconds(synthesis.clips[i]), stopped: synthesis.clips[i].stopped,
                          scores: scored!.reports[i].scores, chosen: i == index)
            }
            return .json(JSONBody(audio: Data(wavs[index]).base64EncodedString(), sampleRate: clip.waveform.sampleRate,
                                  seconds: seconds(clip), seed: clip.seed, stopped: clip.stopped, model: synthesis.model,
                                  voice: synthesis.voiceID,
                                  guidance: synthesis.guidance.map { Guidance(valueModel: $0.valueModel, scale: $0.scale) },
                                  scores: report?.scores, skipped: report?.skipped, candidates: candidates))
        }
        var headers: HTTPHeaders = [
            "Content-Type": "audio/wav",
            "X-Seed": String(clip.seed),
            "X-Audio-Seconds": String(seconds(clip)),
            "X-Stopped": String(clip.stopped),
            "X-Model": synthesis.model,
            "X-Batch-Size": String(clip.batchSize),
        ]
        if let voice = synthesis.voiceID { headers.set("X-Voice", voice) }
        if let guidance = synthesis.guidance {
            headers.set("X-Value-Model", guidance.valueModel)
            headers.set("X-Guidance-Scale", String(guidance.scale))
        }
        if let k = scored?.bestOf { headers.set("X-Best-Of", String(k)) }
        for (name, value) in report?.headers ?? [] { headers.set(name, value) }
        return Response(status: 200, headers: headers, body: wavs[index])
    }

    /// Duration in seconds, to the millisecond.
    private static func seconds(_ clip: SpeechService.Clip) -> Double {
        (clip.waveform.duration * 1000).rounded() / 1000
    }
}
