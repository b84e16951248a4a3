import Audio
import NN
import Text

/// Text and prompt audio in, waveform out, around the sampler: phonemes from espeak-ng, the
/// prompt's log-mel cut into normalised tokens, generated tokens back to log-mel, Griffin-Lim.
public struct TTSPipeline: Sendable {
    public let model: ARDM
    public let phonemizer: Phonemizer
    public let extractor: LogMelExtractor
    public let vocoder: GriffinLimVocoder

    public init(model: ARDM) {
        self.model = model
        phonemizer = Phonemizer(language: "en-us")
        extractor = LogMelExtractor()
        vocoder = GriffinLimVocoder()
    }

    /// Seconds of audio per speech token (P frames of hop / rate).
    public var secondsPerToken: Double {
        Double(model.config.patchFrames * extractor.configuration.hopLength) / Double(extractor.configuration.sampleRate)
    }

    /// A sampler request: the prompt's text then the target text as phonemes (in the corpus's
    /// punctuation, `CorpusPunctuation`), the prompt's audio (16 kHz mono, conditioned by
    /// `CorpusConditioning`) as tokens. Text errors (empty, too long, control characters) surface
    /// as `TextError`.
    public func request(text: String, promptText: String, promptAudio: [Float], seed: UInt64,
                        maxSeconds: Double) throws -> SynthesisRequest {
        let ids = try [promptText, text].flatMap { phonemizer.vocabulary.ids(CorpusPunctuation.adapt(try phonemizer.tokens($0))) }
        let M = model.config.melBins, P = model.config.patchFrames
        let mel = extractor(CorpusConditioning.apply(promptAudio, sampleRate: extractor.configuration.sampleRate))
        let frames = mel.frameCount / P * P
        var tokens = [Float](repeating: 0, count: frames * M)
        let stats = model.melStatistics
        for i in 0..<(frames * M) { tokens[i] = (mel.values[i] - stats.mean[i % M]) / stats.std[i % M] }
        return SynthesisRequest(textIDs: ids, promptSpeech: tokens, seed: seed,
                                maxTokens: max(1, Int(maxSeconds / secondsPerToken)))
    }

    /// The generated tokens as un-normalised log-mel (S·P frames).
    public func logMel(of result: SynthesisResult) -> LogMel {
        let M = model.config.melBins, stats = model.melStatistics
        var values = result.tokens
        for i in values.indices { values[i] = values[i] * stats.std[i % M] + stats.mean[i % M] }
        return LogMel(frameCount: values.count / M, melCount: M, values: values)
    }

    public func waveform(of result: SynthesisResult) -> Waveform { vocoder.synthesize(logMel(of: result)) }

    /// `result` with its tokens moved toward the average spectrum of the prompt tokens by
    /// `strength` (`TimbreMatch`; 0, or no prompt: as sampled).
    public func timbreMatched(_ result: SynthesisResult, toPrompt promptSpeech: [Float], strength: Float) -> SynthesisResult {
        var matched = result
        matched.tokens = TimbreMatch.apply(result.tokens, prompt: promptSpeech, melBins: model.config.melBins, strength: strength)
        return matched
    }

    /// Griffin-Lim of every result, one clip per worker at a time.
    public func waveforms(of results: [SynthesisResult]) -> [Waveform] {
        var waves = [Waveform](repeating: Waveform(samples: [], sampleRate: extractor.configuration.sampleRate), count: results.count)
        waves.withUnsafeMutableBufferPointer { out in
            Parallel.forEachItem(results.count) { i, _ in out[i] = waveform(of: results[i]) }
        }
        return waves
    }
}
