/// The point where guidance enters the sampler (Algorithm 2): at every diffusion step of every
/// token, after LM guidance, the noise prediction becomes `ε_guided = ε − g`. Value guidance
/// supplies `g = λ·σ_t·∇_{x_t} V(x_<n, x_t, t)`: the score offset λ∇V in ε units, since
/// score = −ε/σ_t. A guide that reads the sequence so far (a value model has its own LM)
/// follows it through `admit` and `append`.
public protocol SamplingGuidance: AnyObject {
    /// A sequence joins the batch in sampler slot `slot`; sequence indices below are slots.
    func admit(_ request: SynthesisRequest, slot: Int)
    /// The next token of `sequences` is about to be denoised at these times (one per step).
    func beginToken(times: [Float], sequences: [Int])
    /// Writes `g (N, D)` for N noisy tokens `xt (N, D)` at step `step` (diffusion time `t`);
    /// row r belongs to the sequence `sequences[r]`.
    func epsilonCorrection(xt: UnsafePointer<Float>, step: Int, t: Float, sequences: [Int], into g: UnsafeMutablePointer<Float>)
    /// Token r of `tokens (N, D)` is now final for sequence `sequences[r]`.
    func append(tokens: UnsafePointer<Float>, sequences: [Int])
}

/// One sequence to synthesise.
public struct SynthesisRequest: Sendable {
    /// Phoneme ids of the prompt's text followed by the target text (no BOS/SEP).
    public var textIDs: [Int32]
    /// Prompt speech tokens (S_p, D), normalised; may be empty.
    public var promptSpeech: [Float]
    public var seed: UInt64
    public var maxTokens: Int

    public init(textIDs: [Int32], promptSpeech: [Float], seed: UInt64, maxTokens: Int) {
        self.textIDs = textIDs; self.promptSpeech = promptSpeech; self.seed = seed; self.maxTokens = maxTokens
    }
}

/// Sampler settings shared by a batch (paper §4.1: DDPM, 16 steps, LM guidance w = 2).
public struct SamplingOptions: Sendable, Codable, Equatable {
    public var steps: Int = 16
    public var cfg: Float = 2
    /// Scales the initial and the per-step noise (1 = the model's distribution).
    public var temperature: Float = 1
    /// The stop head ends a sequence when its probability exceeds this.
    public var stopThreshold: Float = 0.5
    /// LM guidance's push toward the prompt's voice, w_s in `GuidanceBranch` (1: the paper's LM
    /// guidance, which pushes toward the text only). On the shipped base w_s = 1.5 and 2 raised
    /// the SIM ratio 0.67 → 0.71 and 0.72 for +0.6 and +1.2 points of free-running PER
    /// (docs/results/base), so the serving default stays 1. A value other than 1 and `cfg` runs
    /// a third sequence per request.
    public var voiceScale: Float = 1
    /// Std of Gaussian noise added to each generated token before the LM reads it (the output
    /// keeps the clean token): pre-training's history noise applied at sampling time, as
    /// cascaded diffusion models augment their conditioning at both ends. 0: off, the default:
    /// 0.25 and 0.5 measured no better on models/base (docs/results/base).
    public var historyNoise: Float = 0
    public init(steps: Int = 16, cfg: Float = 2, temperature: Float = 1, stopThreshold: Float = 0.5,
                voiceScale: Float = 1, historyNoise: Float = 0) {
        self.steps = steps; self.cfg = cfg; self.temperature = temperature; self.stopThreshold = stopThreshold
        self.voiceScale = voiceScale; self.historyNoise = historyNoise
    }

    /// What the server and `vgpo-train synthesize` use for what a request leaves out: the noise
    /// at T = 0.7, which the shipped base reads with 3.3 points less phoneme error than at T = 1
    /// while keeping its stops and durations (docs/results/base). Rollouts, value training,
    /// fine-tuning and evaluation keep T = 1: their objectives assume the model's own distribution.
    public static let serving = SamplingOptions(temperature: 0.7)
}

/// What the sampler produced for one request.
public struct SynthesisResult: Sendable {
    /// Generated speech tokens (S, D), normalised.
    public var tokens: [Float]
    public var tokenCount: Int
    /// Whether the stop head ended the sequence (false: it hit `maxTokens`).
    public var stopped: Bool

    public init(tokens: [Float], tokenCount: Int, stopped: Bool) {
        self.tokens = tokens; self.tokenCount = tokenCount; self.stopped = stopped
    }
}
