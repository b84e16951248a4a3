import NN

/// Where a forward at points put things: the batch layout and, for every head row, the LM row
/// whose state conditioned it.
struct PointPass {
    let layout: StepLayout
    let rows: [Int]
}

extension ARDM {
    /// The LM over `batch` (and with `guidancePair` also over its text-dropped copy, the
    /// unconditional half of LM guidance), then the head at every point: head rows 0 ..< N read
    /// the conditional states, rows N ..< 2N (pair only) the unconditional ones, all at the
    /// points' noisy tokens. The prediction is left in `ws.headActs.output`.
    func forwardAtPoints(_ batch: [ARDMExample], _ points: DiffusionPoints, guidancePair: Bool,
                         _ ws: ARDMTrainingWorkspace) -> PointPass {
        let sequences = guidancePair ? batch + batch : batch
        precondition(sequences.count <= ws.maxB, "batch of \(sequences.count) exceeds the workspace's \(ws.maxB)")
        let dropped = sequences.indices.map { $0 >= batch.count }
        let layout = StepLayout(batch: sequences, bos: config.bosID, sep: config.sepID, dropped: dropped, tokenWidth: config.tokenWidth)
        precondition(layout.T <= ws.maxT, "sequence of \(layout.T) positions exceeds the workspace's \(ws.maxT)")
        copySpeech(sequences, ws)
        embedInputs(layout, ws, history: ws.speechIn)
        lm.forward(params, ws.lmActs, B: layout.B, T: layout.T, positions: layout.positions, textLengths: layout.textLengths)
        let C = config.lm.channels, D = config.tokenWidth, N = points.count
        precondition(N * sequences.count / batch.count <= ws.headRows, "\(N) points exceed the workspace's head rows")
        var rows: [Int] = []
        for half in 0..<(guidancePair ? 2 : 1) {
            for p in points.points {
                let j = rows.count, row = layout.predictRow(sequence: p.sequence + half * batch.count, token: p.token)
                rows.append(row)
                (ws.condRows + j * C).update(from: ws.lmActs.output + row * C, count: C)
                ws.times[j] = p.time
            }
            points.noisyTokens(batch, tokenWidth: D, into: ws.noisy + half * N * D)
        }
        head.forward(params, ws.headActs, xt: ws.noisy, t: ws.times, h: ws.condRows, N: rows.count)
        return PointPass(layout: layout, rows: rows)
    }

    /// Back from `ws.dPrediction` (the gradient w.r.t. every head row's output) through the
    /// head, the LM and the input embeddings, accumulating parameter gradients.
    func backwardFromPoints(_ pass: PointPass, _ ws: ARDMTrainingWorkspace) {
        headBackwardToLM(pass, ws)
        lmBackward(pass, ws)
    }

    /// The head's backward from `ws.dPrediction`; its gradient w.r.t. the LM states lands in
    /// `ws.dLMOut` (zeroed first), where other heads may add theirs before `lmBackward`.
    func headBackwardToLM(_ pass: PointPass, _ ws: ARDMTrainingWorkspace) {
        let C = config.lm.channels
        ws.dCondRows.update(repeating: 0, count: pass.rows.count * C)
        head.backward(params, ws.headActs, dout: ws.dPrediction, xt: ws.noisy, h: ws.condRows, dxt: nil, dh: ws.dCondRows)
        ws.dLMOut.update(repeating: 0, count: pass.layout.B * pass.layout.T * C)
        for (j, row) in pass.rows.enumerated() {
            let src = ws.dCondRows + j * C, dst = ws.dLMOut + row * C
            for c in 0..<C { dst[c] += src[c] }
        }
    }

    /// From `ws.dLMOut` back through the LM to the input embeddings.
    func lmBackward(_ pass: PointPass, _ ws: ARDMTrainingWorkspace) {
        lm.backward(params, ws.lmActs, dout: ws.dLMOut) { _ in nil }
        inputsBackward(pass.layout, ws, history: ws.speechIn)
    }

    /// The LM-guided v-prediction v_u + w·(v_c − v_u) at every point, (N, D), and the
    /// conditional stop probability at every stop row of the batch (what the sampler reads).
    public func guidedPrediction(_ batch: [ARDMExample], _ points: DiffusionPoints, cfg w: Float,
                                 _ ws: ARDMTrainingWorkspace) -> (v: [Float], stop: [Float]) {
        precondition(!config.isValueModel, "a value model predicts no tokens")
        let pass = forwardAtPoints(batch, points, guidancePair: true, ws)
        return (guidedCombination(points: points.count, cfg: w, ws), stopProbabilities(pass.layout, sequences: batch.count, ws))
    }

    /// v_u + w·(v_c − v_u) of the head output a guidance-pair pass left in `ws`, (N, D).
    func guidedCombination(points N: Int, cfg w: Float, _ ws: ARDMTrainingWorkspace) -> [Float] {
        let D = config.tokenWidth, out = ws.headActs.output
        return (0..<(N * D)).map { out[N * D + $0] + w * (out[$0] - out[N * D + $0]) }
    }

    /// σ(stop logit) at the stop rows of the first `sequences` sequences of the layout.
    func stopProbabilities(_ layout: StepLayout, sequences: Int, _ ws: ARDMTrainingWorkspace) -> [Float] {
        let C = config.lm.channels
        return layout.stopRows(sequences: sequences).map { fastSigmoid(stopLogit(ws.lmActs.output + $0 * C)) }
    }

    /// ∇_{x_t} V at every point, (N, D), in the value model's units: the value head's input
    /// gradient (LM states held fixed, as in guided sampling).
    public func valueGradient(_ batch: [ARDMExample], _ points: DiffusionPoints, _ ws: ARDMTrainingWorkspace) -> [Float] {
        precondition(config.isValueModel, "∇V needs a value model")
        _ = forwardAtPoints(batch, points, guidancePair: false, ws)
        let N = points.count, D = config.tokenWidth
        ws.dPrediction.update(repeating: 1, count: N)
        var gradient = [Float](repeating: 0, count: N * D)
        gradient.withUnsafeMutableBufferPointer { g in
            head.backward(params, ws.headActs, dout: ws.dPrediction, xt: ws.noisy, h: ws.condRows, dxt: g.baseAddress!, dh: nil,
                          parameterGradients: false)
        }
        return gradient
    }
}
