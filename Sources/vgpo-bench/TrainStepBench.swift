import ArgumentParser
import NN

/// Forward + backward + AdamW of a causal transformer LM (issue 2's reference shape:
/// d=256, 6 layers, 4 heads, 8 sequences of 256 tokens).
struct TrainStepBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train-step", abstract: "Training-step throughput against sgemm peak.")
    @Option(help: "Model width.") var channels = 256
    @Option(help: "Transformer blocks.") var layers = 6
    @Option(help: "Attention heads.") var heads = 4
    @Option(help: "Sequences per step.") var batch = 8
    @Option(help: "Tokens per sequence.") var seq = 256
    @Option(help: "Vocabulary size.") var vocab = 256
    @Option(help: "Measured steps (median reported).") var steps = 5

    func run() {
        let config = TransformerConfig(channels: channels, layers: layers, heads: heads, maxPositions: seq)
        let model = TokenLM(vocab: vocab, config: config, maxB: batch, maxT: seq, seed: 1)
        var rng = RNG(seed: 2)
        let tokens = (0..<(batch * (seq + 1))).map { _ in Int32(rng.int(below: vocab)) }
        var inputs: [Int32] = [], targets: [Int32] = []
        for b in 0..<batch {
            inputs += tokens[(b * (seq + 1))..<(b * (seq + 1) + seq)]
            targets += tokens[(b * (seq + 1) + 1)..<((b + 1) * (seq + 1))]
        }
        var optimizer = AdamW()
        let seconds = medianSeconds(warmup: 1, repeats: steps) {
            model.params.zeroGrads()
            _ = model.forward(inputs: inputs, targets: targets, B: batch, T: seq)
            model.backward(inputs: inputs, targets: targets)
            clipGradientNorm(model.params, maxNorm: 1)
            optimizer.update(model.params, lr: 1e-4)
        }
        let flops = trainStepFlops(config: config, B: batch, T: seq, vocab: vocab)
        let achieved = flops / seconds / 1e9
        let peak = measureSgemmPeak()
        printJSONLine([
            "bench": "train-step", "channels": channels, "layers": layers, "heads": heads, "batch": batch, "seq": seq,
            "step_seconds": rounded(seconds, 4),
            "tokens_per_s": rounded(Double(batch * seq) / seconds, 1),
            "achieved_gflops": rounded(achieved, 1),
            "sgemm_peak_gflops": rounded(peak, 1),
            "fraction_of_peak": rounded(achieved / peak, 3),
            "blas_core": blasCoreName(),
        ])
    }
}

/// Matrix FLOPs of one training step: forward GEMMs (projections, the T×T attention products,
/// the head) once, backward twice (input and weight gradients; the four attention-backward
/// products are twice the forward's two).
func trainStepFlops(config: TransformerConfig, B: Int, T: Int, vocab: Int) -> Double {
    let (N, C) = (Double(B * T), Double(config.channels))
    let inner = Double(config.mlp == .swiglu ? 2 * config.mlpHidden : config.mlpHidden)
    let hidden = Double(config.mlpHidden)
    let projections = 2 * N * C * (3 * C + C + inner) + 2 * N * hidden * C
    let attention = 4 * Double(B) * Double(T) * Double(T) * C
    let forward = Double(config.layers) * (projections + attention) + 2 * N * C * Double(vocab)
    return 3 * forward
}
