import Foundation
import NN
import GradientChecking
import Testing

/// Finite-difference checks of the losses; the loss itself is the scalar probed.
@Suite struct LossGradientTests {
    /// Wraps a scalar loss as a 1-element output so `checkGradients` probes it with dL = r·loss.
    @Test func mse() {
        var rng = RNG(seed: 1)
        let pred = Param("pred", count: 12, rng: &rng), target = Slab(count: 12)
        rng.fillNormal(target.base, count: 12)
        let out = Slab(count: 1)
        checkGradients([pred], output: out) { out.base[0] = mseLossForward(pred: pred.p, target: target.base, count: 12) }
            backward: { d in mseLossBackward(dpred: pred.g, pred: pred.p, target: target.base, count: 12, scale: d[0]) }
    }

    @Test func bceWithLogits() {
        var rng = RNG(seed: 2)
        let logits = Param("logits", count: 12, rng: &rng, std: 3), targets = Slab(count: 12)
        for i in 0..<12 { targets.base[i] = i % 3 == 0 ? 1 : 0 }
        let out = Slab(count: 1)
        checkGradients([logits], output: out, eps: 1e-3) {
            out.base[0] = bceWithLogitsForward(logits: logits.p, targets: targets.base, count: 12)
        } backward: { d in
            bceWithLogitsBackward(dlogits: logits.g, logits: logits.p, targets: targets.base, count: 12, scale: d[0])
        }
    }

    @Test func softmaxCrossEntropyIgnoresPadding() {
        var rng = RNG(seed: 3)
        let (N, V) = (4, 5)
        let logits = Param("logits", count: N * V, rng: &rng, std: 2), probs = Slab(count: N * V)
        let targets: [Int32] = [2, ignoreTarget, 0, 4]
        let out = Slab(count: 1)
        checkGradients([logits], output: out, eps: 1e-3) {
            out.base[0] = softmaxCrossEntropyForward(probs: probs.base, logits: logits.p, targets: targets, N: N, V: V)
        } backward: { d in
            softmaxCrossEntropyBackward(dlogits: logits.g, probs: probs.base, targets: targets, N: N, V: V, scale: d[0])
        }
        // The ignored row gets no gradient.
        for v in 0..<V { #expect(logits.g[V + v] == 0) }
    }

    @Test func knownValues() {
        // BCE of logit 0 is log 2 whatever the target; CE of uniform logits is log V.
        let zeros = [Float](repeating: 0, count: 4), ys: [Float] = [0, 1, 0, 1]
        #expect(abs(bceWithLogitsForward(logits: zeros, targets: ys, count: 4) - logf(2)) < 1e-6)
        let probs = Slab(count: 8)
        let ce = softmaxCrossEntropyForward(probs: probs.base, logits: [Float](repeating: 1, count: 8), targets: [3], N: 1, V: 8)
        #expect(abs(ce - logf(8)) < 1e-6)
        #expect(mseLossForward(pred: [1, 2], target: [0, 0], count: 2) == 2.5)
    }
}
