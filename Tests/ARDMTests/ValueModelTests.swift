import ARDM
import Foundation
import GradientChecking
import NN
import Testing

@Suite struct ValueModelTests {
    static func base() -> ARDM { TinyModels.randomModel(seed: 3, std: 0.3) }

    static func batch(D: Int) -> [ValueExample] {
        TinyModels.examples(count: 3, D: D).enumerated().map { ValueExample(example: $0.element, reward: Float($0.offset) - 0.5) }
    }

    /// The value model is the base model with a scalar head output that starts at zero: every
    /// other tensor is copied, and V equals the head's bias for any input.
    @Test func initialisedFromTheBase() {
        let base = Self.base()
        let value = base.makeValueModel()
        #expect(value.config.isValueModel && value.head.outputWidth == 1)
        for entry in value.params.layout.entries {
            let copy = Array(UnsafeBufferPointer(start: value.params.values.pointer(at: entry.offset), count: entry.count))
            if entry.name.hasPrefix("head.out.") {
                #expect(copy.allSatisfy { $0 == 0 }, "\(entry.name) starts at zero")
            } else {
                let source = base.params.layout.entry(entry.name)!
                #expect(copy == Array(UnsafeBufferPointer(start: base.params.values.pointer(at: source.offset), count: entry.count)),
                        "\(entry.name) copied from the base")
            }
        }
        value.setValueBias(1.5)
        let ws = ARDMTrainingWorkspace(model: value, maxB: 3, maxT: 20, timesPerToken: 2)
        var rng = RNG(seed: 1)
        let result = value.valueValidation(Self.batch(D: value.config.tokenWidth), ws, objective: .mse, rng: &rng)
        // Rewards −0.5, 0.5, 1.5 against V = 1.5 everywhere: mean |V − r| = (2 + 1 + 0)/3.
        #expect(abs(result.absoluteError - 1) < 1e-5)
        // A constant V is uncorrelated with anything: no correlation to report.
        #expect(result.predictions.count == result.targets.count && result.correlation == nil)
    }

    /// corr(V, r) over merged batches is Pearson's over all their points, and the merged means
    /// weigh each batch by its points.
    @Test func correlationOverMergedBatches() {
        let a = ValueStepResult(loss: 1, absoluteError: 2, predictions: [1, 2, 3], targets: [2, 4, 6])
        let b = ValueStepResult(loss: 4, absoluteError: 5, predictions: [4], targets: [8])
        let merged = ValueStepResult.merged([a, b])
        #expect(abs(merged.loss - 1.75) < 1e-6 && abs(merged.absoluteError - 2.75) < 1e-6)
        #expect(abs(merged.correlation! - 1) < 1e-6)
        let anti = ValueStepResult(loss: 0, absoluteError: 0, predictions: [1, 2, 3, 4], targets: [1, -1, 1, -1])
        // Pearson of (1, 2, 3, 4) with (1, −1, 1, −1) is −1/√5 (numpy.corrcoef agrees).
        #expect(abs(anti.correlation! + 0.4472136) < 1e-5)
    }

    /// Within groups, V and r lose their group means first: here V follows the groups' levels
    /// (overall corr 0.58) but within them it runs against r (−1/√5, numpy agrees); points
    /// without a group are left out, and V constant within every group has nothing to report.
    @Test func correlationWithinGroups() {
        let result = ValueStepResult(loss: 0, absoluteError: 0, predictions: [1, 2, 5, 7, 3, 1, 9],
                                     targets: [0, 1, 2, 2, -1, 1, 5], groups: [0, 0, 1, 1, 2, 2, nil])
        #expect(abs(result.withinGroupCorrelation! + 0.4472136) < 1e-5)
        let levels = ValueStepResult(loss: 0, absoluteError: 0, predictions: [1, 1, 4, 4], targets: [-1, 1, -1, 1], groups: [0, 0, 1, 1])
        #expect(levels.withinGroupCorrelation == nil)
        #expect(ValueStepResult(loss: 0, absoluteError: 0, predictions: [1, 2], targets: [1, 2]).withinGroupCorrelation == nil)
    }

    /// A progress range keeps its points with their groups, and the within-group correlation
    /// is then taken over them alone: the early points here rank in order, the late ones in order
    /// in one group and inversely in the other.
    @Test func correlationOverAProgressRange() {
        let result = ValueStepResult(loss: 0, absoluteError: 0, predictions: [1, 2, 2, 1, 5, 6],
                                     targets: [0, 1, 0, 1, 3, 4], groups: [0, 0, 0, 0, 1, 1],
                                     progress: [0.1, 0.2, 0.7, 0.9, 0.6, 0.8])
        let late = result.points(inProgress: 0.5..<1), early = result.points(inProgress: 0..<0.5)
        #expect(late.predictions == [2, 1, 5, 6] && late.groups == [0, 0, 1, 1] && late.progress == [0.7, 0.9, 0.6, 0.8])
        #expect(abs(late.withinGroupCorrelation! - 0) < 1e-6)
        #expect(abs(early.withinGroupCorrelation! - 1) < 1e-6)
        #expect(ValueStepResult.merged([early, late]).progress.count == 6)
    }

    /// The value step's gradient (LM, value head, inputs) against finite differences of its MSE
    /// loss (the soft surrogate differs only in dL/dV, tested below). The stop head is not used
    /// by a value model and gets no gradient.
    @Test func valueStepGradients() {
        let value = Self.base().makeValueModel()
        var rng = RNG(seed: 5)
        rng.fillNormal(value.params.value("head.out.weight"), count: value.config.head.width, std: 0.3)
        let batch = Self.batch(D: value.config.tokenWidth)
        let ws = ARDMTrainingWorkspace(model: value, maxB: 3, maxT: 20, timesPerToken: 3)
        checkStepGradients(value.params, skipping: { $0.hasPrefix("stop.") }) {
            var r = RNG(seed: 11)
            return value.valueTrainingStep(batch, ws, objective: .mse, rng: &r).loss
        }
    }

    /// A value model runs in the workspace of the speech model it was made from (VGPO's models
    /// take turns in the policy's buffers): after the speech model's guided pass and a policy
    /// step have filled those buffers, its loss, gradients and ∇V are those of a fresh workspace
    /// of its own. A model of other shapes does not fit.
    @Test func valueStepsInTheSpeechModelsWorkspace() {
        let base = Self.base()
        let value = base.makeValueModel()
        var rng = RNG(seed: 5)
        rng.fillNormal(value.params.value("head.out.weight"), count: value.config.head.width, std: 0.3)
        let batch = Self.batch(D: value.config.tokenWidth), examples = batch.map(\.example), D = base.config.tokenWidth
        let shared = ARDMTrainingWorkspace(model: base, maxB: 6, maxT: 20, timesPerToken: 2, headRows: 12)
        let own = ARDMTrainingWorkspace(model: value, maxB: 3, maxT: 20, timesPerToken: 2, headRows: 6)
        #expect(shared.fits(value) && own.fits(base) == false)
        var wider = TinyModels.config()
        wider.head.width += 8
        #expect(!shared.fits(ARDM(config: wider)))

        func valueStep(_ ws: ARDMTrainingWorkspace) -> (loss: Float, grads: [Float], nabla: [Float]) {
            value.params.zeroGrads()
            var r = RNG(seed: 11)
            let loss = value.valueTrainingStep(batch, ws, objective: .mse, rng: &r).loss
            var p = RNG(seed: 12)
            let points = DiffusionPoints(batch: examples, perSequence: 2, tokenWidth: D, rng: &p)
            return (loss, value.params.grads.toArray(), value.valueGradient(examples, points, ws))
        }
        let alone = valueStep(own)
        var p = RNG(seed: 13)
        let points = DiffusionPoints(batch: examples, perSequence: 2, tokenWidth: D, rng: &p)
        let reference = base.guidedPrediction(examples, points, cfg: 2, shared)
        _ = base.vgpoStep(examples, points, reference: reference, correction: [Float](repeating: 0.1, count: points.count * D),
                          objective: VGPOObjective(klWeight: 0.5), cfg: 2, stopWeight: 1, shared)
        let turned = valueStep(shared)
        #expect(turned.loss == alone.loss && turned.grads == alone.grads && turned.nabla == alone.nabla)
    }

    /// dL/dV of each objective: MSE's is the derivative of its loss; the soft surrogate's is the
    /// derivative of (exp(V − c) − exp(r − c))² with c = sg[V] held fixed (Eq. 32). Averaged over
    /// rewards, the MSE gradient vanishes at their mean and the soft one at log E[exp r] (Eq. 37).
    @Test func objectiveGradientsAndMinimisers() {
        let eps: Float = 1e-3
        for (v, r) in [(Float(0.3), Float(1.1)), (1.5, -0.4), (-0.2, 0.0)] {
            let mse = ValueObjective.mse.term(prediction: v, reward: r)
            let mseNumeric = (ValueObjective.mse.term(prediction: v + eps, reward: r).loss
                - ValueObjective.mse.term(prediction: v - eps, reward: r).loss) / (2 * eps)
            #expect(abs(mse.gradient - mseNumeric) < 1e-2)
            func surrogate(_ x: Float) -> Float { let e = exp(x - v) - exp(r - v); return e * e }
            let softNumeric = (surrogate(v + eps) - surrogate(v - eps)) / (2 * eps)
            #expect(abs(ValueObjective.softExp.term(prediction: v, reward: r).gradient - softNumeric) < 1e-2)
        }
        let rewards: [Float] = [-1, 0.2, 0.5, 2]
        let mean = rewards.reduce(0, +) / 4
        let soft = log(rewards.map { exp($0) }.reduce(0, +) / 4)
        func meanGradient(_ o: ValueObjective, _ v: Float) -> Float { rewards.map { o.term(prediction: v, reward: $0).gradient }.reduce(0, +) / 4 }
        #expect(abs(meanGradient(.mse, mean)) < 1e-5 && abs(meanGradient(.softExp, soft)) < 1e-5)
        #expect(abs(meanGradient(.softExp, mean)) > 0.1, "the soft value is not the mean reward")
    }

    /// Value training fits the rewards of a few trajectories that the text tells apart.
    @Test func valueTrainingFitsRewards() {
        let value = Self.base().makeValueModel()
        let batch = Self.batch(D: value.config.tokenWidth)
        let ws = ARDMTrainingWorkspace(model: value, maxB: 3, maxT: 20, timesPerToken: 4)
        var rng = RNG(seed: 6)
        var optimizer = AdamW()
        let before = value.valueValidation(batch, ws, objective: .mse, rng: &rng).absoluteError
        for _ in 0..<200 {
            value.params.zeroGrads()
            _ = value.valueTrainingStep(batch, ws, objective: .softExp, rng: &rng)
            clipGradientNorm(value.params, maxNorm: 1)
            optimizer.update(value.params, lr: 3e-3)
        }
        let after = value.valueValidation(batch, ws, objective: .mse, rng: &rng).absoluteError
        #expect(after < 0.2 * before, "mean |V − r| \(before) → \(after)")
    }
}
