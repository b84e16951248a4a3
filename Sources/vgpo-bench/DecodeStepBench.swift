import ArgumentParser
import NN

/// Per-token latency of KV-cached decoding at batch 1 and batch 8, with a prefix already cached.
struct DecodeStepBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decode-step", abstract: "KV-cache decoding latency per token.")
    @Option(help: "Model width.") var channels = 256
    @Option(help: "Transformer blocks.") var layers = 6
    @Option(help: "Attention heads.") var heads = 4
    @Option(help: "Cached context length before the measured tokens.") var context = 128
    @Option(help: "Measured tokens.") var tokens = 64

    func run() {
        let config = TransformerConfig(channels: channels, layers: layers, heads: heads, maxPositions: context + tokens + 1)
        var layout = Layout()
        let model = CausalTransformer(config: config, prefix: "", layout: &layout)
        let params = ParameterSet(layout: layout)
        var rng = RNG(seed: 1)
        model.initialize(params, &rng)
        var result: [String: Any] = ["bench": "decode-step", "channels": channels, "layers": layers, "context": context]
        var perToken: [Int: Double] = [:]
        for batch in [1, 8] {
            let cache = model.makeCache(slots: batch, capacity: context + tokens + 1)
            let ws = DecodeWorkspace(config: config, maxB: batch, cacheCapacity: cache.capacity)
            let slots = Array(0..<batch)
            func step(_ position: Int) {
                rng.fillNormal(ws.input, count: batch * channels)
                model.decodeStep(params, ws, cache: cache, slots: slots, positions: Array(repeating: Int32(position), count: batch))
            }
            for p in 0..<context { step(p) }
            let t0 = now()
            for p in context..<(context + tokens) { step(p) }
            perToken[batch] = (now() - t0) / Double(tokens)
            result["ms_per_token_batch\(batch)"] = rounded(perToken[batch]! * 1e3, 4)
        }
        result["ms_per_sequence_token_batch8"] = rounded(perToken[8]! * 1e3 / 8, 4)
        result["batch8_speedup_per_sequence"] = rounded(perToken[1]! * 8 / perToken[8]!, 2)
        printJSONLine(result)
    }
}
