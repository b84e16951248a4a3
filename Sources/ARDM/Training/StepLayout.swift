import NN

/// Where everything of a training batch sits in the LM's (B, T) grid, after condition dropout.
///
/// Sequence b: text rows 0 ..< L_b (`[BOS] text [SEP]`, or `[BOS][SEP]` when dropped), then its
/// S_b speech tokens, then padding up to T. Row L_b − 1 + i predicts speech token i (i < S_b);
/// rows L_b − 1 … L_b − 1 + S_b carry the stop target, 1 only on the last.
struct StepLayout {
    let B: Int, T: Int
    let texts: [[Int32]]
    let dropped: [Bool]
    let speechCounts: [Int]
    /// RoPE position of every row (text and speech each count from 0).
    let positions: [Int32]
    /// Text ids and their rows, flattened over the batch.
    let textIDs: [Int32], textRows: [Int]
    /// LM row of every speech token (batch order, which is also the order in `ws.speechIn`).
    let speechRows: [Int]
    /// Rows that predict a token, the auxiliary target of that token; stop rows and targets.
    let predictRows: [Int], auxiliaryTargets: [Int32]
    let stopRows: [Int], stopTargets: [Float]
    /// Indices into `predictRows` of the tokens the diffusion head learns: all but the
    /// sampler's own (`ARDMExample.generated`).
    let diffusionTokens: [Int]

    /// Each sequence's text is dropped with probability `dropout` (condition dropout).
    init(batch: [ARDMExample], bos: Int32, sep: Int32, dropout: Float, tokenWidth D: Int, rng: inout RNG) {
        let dropped = batch.map { _ in rng.uniform() < dropout }
        self.init(batch: batch, bos: bos, sep: sep, dropped: dropped, tokenWidth: D)
    }

    /// Sequence b's text is dropped where `dropped[b]` (the unconditional half of LM guidance).
    init(batch: [ARDMExample], bos: Int32, sep: Int32, dropped: [Bool], tokenWidth D: Int) {
        B = batch.count
        texts = zip(batch, dropped).map { ex, drop in [bos] + (drop ? [] : ex.textIDs) + [sep] }
        self.dropped = dropped
        speechCounts = batch.map { $0.tokenCount(width: D) }
        let T = zip(texts, speechCounts).map { $0.count + $1 }.max()!
        self.T = T
        var positions = [Int32](repeating: 0, count: B * T)
        var textIDs: [Int32] = [], textRows: [Int] = [], speechRows: [Int] = []
        var predictRows: [Int] = [], auxiliaryTargets: [Int32] = [], stopRows: [Int] = [], stopTargets: [Float] = []
        var diffusionTokens: [Int] = []
        for b in 0..<B {
            let L = texts[b].count, S = speechCounts[b]
            for (j, id) in texts[b].enumerated() { textIDs.append(id); textRows.append(b * T + j); positions[b * T + j] = Int32(j) }
            for i in 0..<(T - L) { positions[b * T + L + i] = Int32(i) }
            for i in 0..<S { speechRows.append(b * T + L + i) }
            for i in 0..<S {
                if batch[b].generated?.contains(i) != true { diffusionTokens.append(predictRows.count) }
                predictRows.append(b * T + L - 1 + i); auxiliaryTargets.append(batch[b].auxiliaryTargets[i])
            }
            for i in 0...S { stopRows.append(b * T + L - 1 + i); stopTargets.append(i == S ? 1 : 0) }
        }
        self.positions = positions; self.textIDs = textIDs; self.textRows = textRows; self.speechRows = speechRows
        self.predictRows = predictRows; self.auxiliaryTargets = auxiliaryTargets
        self.stopRows = stopRows; self.stopTargets = stopTargets; self.diffusionTokens = diffusionTokens
        var firstTokens: [Int] = [], first = 0
        for S in speechCounts { firstTokens.append(first); first += S }
        self.firstTokens = firstTokens
    }

    /// Index of sequence b's first speech token in the flattened token order.
    let firstTokens: [Int]

    /// The stop rows of sequences 0 ..< `sequences`.
    func stopRows(sequences: Int) -> [Int] { stopRows.filter { $0 / T < sequences } }

    /// The LM row that predicts token i of sequence b.
    func predictRow(sequence b: Int, token i: Int) -> Int { predictRows[firstTokens[b] + i] }

    var textLengths: [Int32] { texts.map { Int32($0.count) } }
}
