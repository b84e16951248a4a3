import NN

/// The diffusion head (MAR / DiTAR): an MLP with adaLN that maps a noisy token `x_t (N, D)`,
/// the diffusion time `t (N)` and the LM state `h (N, C)` to a prediction `(N, out)` — the
/// v-prediction of the base model (out = D) or a scalar (out = 1) for a value model.
///
///   c      = Wt2·silu(Wt1·temb(t)) + Wc·h                       (N, W) conditioning
///   x      = Win·x_t                                            (N, W)
///   block  : x += gate ⊙ W2·silu(W1·(LN(x)⊙(1+scale)+shift)),   [shift|scale|gate] = Wada·silu(c)
///   out    = Wout·(LN(x)⊙(1+scale)+shift),                      [shift|scale] = Wfin·silu(c)
/// The output layer starts at zero (the model first predicts v = 0), as in DiT/MAR.
public struct DiffusionHead: Sendable {
    public let config: ARDMConfig.HeadConfig
    public let inputWidth: Int, conditionWidth: Int, outputWidth: Int
    let inW, inB, t1W, t1B, t2W, t2B, cW, cB: Int
    let blocks: [Block]
    let finalAdaW, finalAdaB, outW, outB: Int

    struct Block: Sendable { let adaW, adaB, fc1W, fc1B, fc2W, fc2B: Int }

    public init(config: ARDMConfig.HeadConfig, inputWidth D: Int, conditionWidth C: Int, outputWidth: Int,
                prefix: String, layout: inout Layout) {
        self.config = config; inputWidth = D; conditionWidth = C; self.outputWidth = outputWidth
        let W = config.width, F = config.timeFrequencies
        inW = layout.add(prefix + "in.weight", [W, D]); inB = layout.add(prefix + "in.bias", [W])
        t1W = layout.add(prefix + "time.fc1.weight", [W, F]); t1B = layout.add(prefix + "time.fc1.bias", [W])
        t2W = layout.add(prefix + "time.fc2.weight", [W, W]); t2B = layout.add(prefix + "time.fc2.bias", [W])
        cW = layout.add(prefix + "cond.weight", [W, C]); cB = layout.add(prefix + "cond.bias", [W])
        blocks = (0..<config.blocks).map { i in
            let p = prefix + "blocks.\(i)."
            return Block(adaW: layout.add(p + "ada.weight", [3 * W, W]), adaB: layout.add(p + "ada.bias", [3 * W]),
                         fc1W: layout.add(p + "fc1.weight", [W, W]), fc1B: layout.add(p + "fc1.bias", [W]),
                         fc2W: layout.add(p + "fc2.weight", [W, W]), fc2B: layout.add(p + "fc2.bias", [W]))
        }
        finalAdaW = layout.add(prefix + "final.ada.weight", [2 * W, W]); finalAdaB = layout.add(prefix + "final.ada.bias", [2 * W])
        outW = layout.add(prefix + "out.weight", [outputWidth, W]); outB = layout.add(prefix + "out.bias", [outputWidth])
    }

    /// Xavier-like N(0, 1/fan_in) for the trunk; adaLN projections and the output at zero, so
    /// every block starts as the identity (DiT's "adaLN-Zero").
    public func initialize(_ params: ParameterSet, _ rng: inout RNG) {
        let W = config.width, F = config.timeFrequencies, D = inputWidth, C = conditionWidth
        func normal(_ offset: Int, _ count: Int, fanIn: Int) {
            rng.fillNormal(params.values.pointer(at: offset), count: count, std: 1 / Float(fanIn).squareRoot())
        }
        normal(inW, W * D, fanIn: D); normal(t1W, W * F, fanIn: F); normal(t2W, W * W, fanIn: W); normal(cW, W * C, fanIn: C)
        for b in blocks {
            normal(b.fc1W, W * W, fanIn: W); normal(b.fc2W, W * W, fanIn: W)
            params.values.pointer(at: b.adaW).update(repeating: 0, count: 3 * W * W)
        }
        params.values.pointer(at: finalAdaW).update(repeating: 0, count: 2 * W * W)
        params.values.pointer(at: outW).update(repeating: 0, count: outputWidth * W)
    }

    /// Scale of the diffusion time fed to the sinusoidal embedding: t ∈ [0, 1] becomes 0…1000,
    /// the range DDPM's embedding frequencies were designed for.
    static let timeScale: Float = 1000
}
