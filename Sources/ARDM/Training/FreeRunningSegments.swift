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
///
/// With `realign`, the targets follow the model's timing instead: the segment is matched to the
/// corpus tokens after the prefix (`SegmentRealignment`), the sequence becomes prefix, segment,
/// and the corpus from the token after the matched one, and the segment's own tokens are read
/// but not learned. A segment that said a phoneme twice is then followed by the phoneme after
/// it, not by the corpus token at the same clock time.
public struct FreeRunningSegments: Codable, Sendable, Equatable {
    public var probability: Float
    public var tokens: Int
    /// The sampling temperature of the segments; absent: the serving one (`SamplingOptions.serving`),
    /// which the PER evaluations use too.
    public var temperature: Float?
    /// Targets that follow the segment's timing (above); absent: false.
    public var realign: Bool?

    public init(probability: Float, tokens: Int, temperature: Float? = nil, realign: Bool? = nil) {
        self.probability = probability; self.tokens = tokens; self.temperature = temperature; self.realign = realign
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
/// `sequence` (speech-token indices, prompt tokens counted), sampled with `seed`; re-aligned,
/// the corpus resumes after it at its token `resume` (nil: not re-aligned).
public struct FreeRunSegment: Sendable, Equatable {
    public let sequence: Int, start: Int, count: Int
    public let seed: UInt64
    public var resume: Int? = nil

    /// Corpus tokens the re-aligned segment covered beyond its own length (positive: the model
    /// spoke faster than the corpus); nil when not re-aligned.
    public var drift: Int? { resume.map { $0 - start - count } }
}

extension ARDMSampler {
    /// Draws the sequences, the segments' starts (uniform over the target tokens that leave at
    /// least one target token after the first generated one) and their seeds from `rng`,
    /// samples every segment in one batch and sets each drawn example's `history`, or with
    /// `realign` rebuilds the example around it (left as it was where the rebuilt sequence
    /// would not fit the sampler's capacity). A segment is shorter where the utterance ends or
    /// the stop head stops it. The sampler must hold `batch.count` requests of the batch's
    /// longest sequence.
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
        return results.indices.compactMap { i in
            let (b, start) = placed[i], tokens = results[i].tokens
            var segment = FreeRunSegment(sequence: b, start: start, count: results[i].tokenCount, seed: requests[i].seed)
            guard segments.realign == true else {
                var history = batch[b].history ?? batch[b].speech
                history.replaceSubrange((start * D)..<(start * D + tokens.count), with: tokens)
                batch[b].history = history
                return segment
            }
            let resume = SegmentRealignment.resumeIndex(segment: tokens[...], speech: batch[b].speech, start: start,
                                                        window: 2 * segment.count, tokenWidth: D)
            let rebuilt = batch[b].realigned(segment: tokens[...], start: start, resume: resume, tokenWidth: D)
            guard rebuilt.rows(width: D) <= capacity else { return nil }
            batch[b] = rebuilt
            segment.resume = resume
            return segment
        }
    }
}
