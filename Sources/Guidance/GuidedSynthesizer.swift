import ARDM
import Audio
import NN
import Rewards

/// One synthesised clip and its scores.
public struct ScoredSample: Sendable {
    public var result: SynthesisResult
    public var waveform: Waveform
    public var scores: [RewardName: RewardScore]
}

/// Plain, value-guided and best-of-K synthesis over one sampler: what evaluation, the
/// `synthesize` command and the server's guided routes share. Requests are sampled
/// `maxBatch` at a time; guidance follows every sequence of the batch (Algorithm 2).
public final class GuidedSynthesizer: @unchecked Sendable {
    public let pipeline: TTSPipeline
    public let sampler: ARDMSampler

    public init(model: ARDM, maxBatch: Int, capacity: Int, branches: Int = 2) {
        pipeline = TTSPipeline(model: model)
        sampler = ARDMSampler(model: model, maxBatch: maxBatch, capacity: capacity, branches: branches)
    }

    /// A value guide sized for this synthesizer's batches; λ per unit of raw reward.
    public func guide(value: ValueModelFile, scale: Float) -> ValueGuidance {
        ValueGuidance(value: value.model, scale: scale, maxBatch: sampler.maxBatch, capacity: sampler.capacity,
                      rewardStd: value.rewardStd)
    }

    /// Samples every request, `maxBatch` at a time, guided when `guidance` is given.
    public func generate(_ requests: [SynthesisRequest], options: SamplingOptions, guidance: ValueGuidance? = nil,
                         progress: ((Int) -> Void)? = nil) -> [SynthesisResult] {
        var results: [SynthesisResult] = []
        for start in stride(from: 0, to: requests.count, by: sampler.maxBatch) {
            let batch = Array(requests[start..<min(start + sampler.maxBatch, requests.count)])
            results += sampler.generate(batch, options: options, guidance: guidance)
            progress?(results.count)
        }
        return results
    }

    /// Vocodes each result (clips spread over the cores) and scores it; `inputs[i]` carries
    /// everything but the audio.
    public func score(_ results: [SynthesisResult], inputs: [RewardInput], scorer: CandidateScorer) throws -> [ScoredSample] {
        let waves = vocode(results)
        var filled = inputs
        for i in filled.indices { filled[i].audio = waves[i].samples }
        let scores = try scorer.score(filled)
        return results.indices.map { ScoredSample(result: results[$0], waveform: waves[$0], scores: scores[$0]) }
    }

    /// Griffin-Lim of every result, one clip per worker at a time.
    public func vocode(_ results: [SynthesisResult]) -> [Waveform] {
        var waves = [Waveform](repeating: Waveform(samples: [], sampleRate: 16_000), count: results.count)
        waves.withUnsafeMutableBufferPointer { out in
            Parallel.forEachItem(results.count) { i, _ in out[i] = pipeline.waveform(of: results[i]) }
        }
        return waves
    }
}
