import NN

/// Exposure to the model's own free-running speech in pre-training, against the error the
/// sampler makes and teacher forcing never shows: phonemes dropped or repeated because the LM
/// mis-reads the timing of tokens it generated itself. History noise and one-shot predictions
/// (`predictedHistory`) keep the true timing; a segment sampled token by token does not.
///
/// In a fraction `probability` of the sequences, `tokens` consecutive target tokens that the LM
/// reads are replaced by what the sampler (LM guidance, `temperature`, the current weights)
/// generates after the true speech before them; the targets stay the corpus's, so the tokens
/// after the segment are learned as continuations of the model's own speech (a DAgger-like
/// correction, short enough that the corpus's next token is still the right one to say).
public struct FreeRunningSegments: Codable, Sendable, Equatable {
    public var probability: Float
    public var tokens: Int
    /// The sampling temperature of the segments; absent: the serving one (`SamplingOptions.serving`),
    /// which the PER evaluations use too.
    public var temperature: Float?

    public init(probability: Float, tokens: Int, temperature: Float? = nil) {
        self.probability = probability; self.tokens = tokens; self.temperature = temperature
    }

    /// Why the recipe cannot be used, or nil when it can.
    public var problem: String? {
        guard probability >= 0 && probability <= 1 else { return "free_running_segments.probability must be in [0, 1] (got \(probability))" }
        guard tokens >= 1 else { return "free_running_segments.tokens must be at least 1 (got \(tokens))" }
        guard (temperature ?? 1) > 0 else { return "free_running_segments.temperature must be positive" }
        return nil
    }

    var options: SamplingOptions {
        var options = SamplingOptions.serving
        if let temperature { options.temperature = temperature }
        return options
    }
}

/// Where a free-running segment went: target tokens `start ..< start + count` of sequence
/// `sequence` (speech-token indices, prompt tokens counted), sampled with `seed`.
public struct FreeRunSegment: Sendable, Equatable {
    public let sequence: Int, start: Int, count: Int
    public let seed: UInt64
}

extension ARDMSampler {
    /// Draws the sequences, the segments' starts (uniform over the target tokens that leave at
    /// least one target token after the first generated one) and their seeds from `rng`,
    /// samples every segment in one batch and sets each drawn example's `history`. A segment is
    /// shorter where the utterance ends or the stop head stops it. The sampler must hold
    /// `batch.count` requests of the batch's longest sequence.
    @discardableResult
    public func freeRun(_ batch: inout [ARDMExample], _ segments: FreeRunningSegments, rng: inout RNG) -> [FreeRunSegment] {
        let D = model.config.tokenWidth
        var requests: [SynthesisRequest] = [], placed: [(sequence: Int, start: Int)] = []
        for (b, example) in batch.enumerated() {
            let S = example.tokenCount(width: D), first = example.promptTokenCount
            guard rng.uniform() < segments.probability, S - first >= 2 else { continue }
            let start = first + rng.int(below: S - 1 - first)
            requests.append(SynthesisRequest(textIDs: example.textIDs, promptSpeech: Array(example.speech[..<(start * D)]),
                                             seed: rng.next(), maxTokens: min(segments.tokens, S - start)))
            placed.append((b, start))
        }
        guard !requests.isEmpty else { return [] }
        let results = generate(requests, options: segments.options)
        return results.indices.map { i in
            let (b, start) = placed[i], tokens = results[i].tokens
            var history = batch[b].history ?? batch[b].speech
            history.replaceSubrange((start * D)..<(start * D + tokens.count), with: tokens)
            batch[b].history = history
            return FreeRunSegment(sequence: b, start: start, count: results[i].tokenCount, seed: requests[i].seed)
        }
    }
}
