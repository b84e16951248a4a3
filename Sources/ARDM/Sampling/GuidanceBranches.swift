/// One sequence that LM guidance runs per request, and its weight in the guided velocity.
///
/// Guidance with two conditions, the text and the prompt's voice:
///   v = v_u + w_t·(v_c − v_t) + w_s·(v_t − v_u)
///     = w_t·v_c + (w_s − w_t)·v_t + (1 − w_s)·v_u,
/// where v_c reads the whole sequence `[BOS] text [SEP] prompt-speech …`, v_t drops the text
/// (`[BOS][SEP] prompt-speech …`) and v_u drops the prompt speech too (`[BOS][SEP] …`, the
/// generated speech only); w_t is `cfg`, w_s is `voiceScale`. A branch of weight 0 is not run:
/// w_s = 1 is the paper's LM guidance (v_c and v_t), w_s = w_t guidance on v_c and v_u only.
/// No retraining: a text-dropped training example is `[BOS][SEP]` and its speech from the first
/// token on, so the model has learned v_u (early tokens) as well as v_t (later ones).
public struct GuidanceBranch: Sendable, Equatable {
    public var dropsText: Bool
    public var dropsPrompt: Bool
    public var weight: Float

    /// The branch's prefix for a request: its text and prompt speech, or none of them.
    public func prefix(of request: SynthesisRequest) -> (textIDs: [Int32], promptSpeech: [Float]) {
        (dropsText ? [] : request.textIDs, dropsPrompt ? [] : request.promptSpeech)
    }
}

extension SamplingOptions {
    /// The sequences the sampler runs per request; the conditional one first (the stop head
    /// reads it), even at weight 0.
    public var guidanceBranches: [GuidanceBranch] {
        let dropped = [GuidanceBranch(dropsText: true, dropsPrompt: false, weight: voiceScale - cfg),
                       GuidanceBranch(dropsText: true, dropsPrompt: true, weight: 1 - voiceScale)]
        return [GuidanceBranch(dropsText: false, dropsPrompt: false, weight: cfg)] + dropped.filter { $0.weight != 0 }
    }
}
