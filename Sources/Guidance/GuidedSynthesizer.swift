import ARDM
import NN

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
}
