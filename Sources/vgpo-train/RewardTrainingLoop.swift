import Foundation
import NN
import Rewards

/// What the reward trainers (`CTCTrainer`, `SpeakerTrainer`) give the loop that drives them.
protocol SteppedTrainer: AnyObject {
    var step: Int { get }
    var trainingSeconds: Double { get }
    func addTrainingTime(_ seconds: Double)
    func saveCheckpoint(to dir: URL) throws
}

extension CTCTrainer: SteppedTrainer {}
extension SpeakerTrainer: SteppedTrainer {}

/// One training step as the log sees it: the loss to average (nil when the step had none to
/// count, e.g. no CTC utterance fit its frames), and fields of the trainer's own.
struct LoggedStep {
    var loss: Double?
    var gradientNorm: Float
    var learningRate: Float
    var fields: [String: Any] = [:]
    var progressNote = ""
}

/// The loop of `train-ctc` and `train-speaker`: steps until the recipe's total, `--minutes` or
/// `--stop-at-step`; the mean loss of each logging interval; checkpoints that carry the
/// training time since the last one (so a resumed run's time adds up); validation every
/// `evaluateEvery` steps and at the last step; a final checkpoint and a `stop` record.
struct RewardTrainingLoop {
    var totalSteps, logEvery, checkpointEvery, evaluateEvery: Int
    var minutes: Double?
    var stopAtStep: Int?

    func run(_ trainer: some SteppedTrainer, checkpoints: URL, log: TrainingLog,
             train: () throws -> LoggedStep, validate: (_ step: Int) throws -> Void) throws {
        let deadline = minutes.map { Date().addingTimeInterval($0 * 60) }
        var lossSum = 0.0, lossCount = 0
        var sessionStart = Date()
        func checkpoint() throws {
            trainer.addTrainingTime(Date().timeIntervalSince(sessionStart))
            sessionStart = Date()
            try trainer.saveCheckpoint(to: checkpoints)
        }
        while trainer.step < totalSteps {
            if let deadline, Date() >= deadline { break }
            if let stopAtStep, trainer.step >= stopAtStep { break }
            let outcome = try train()
            if let loss = outcome.loss { lossSum += loss; lossCount += 1 }
            let s = trainer.step
            if s % logEvery == 0 {
                let mean = lossCount > 0 ? lossSum / Double(lossCount) : .nan
                let fields: [String: Any] = ["step": s, "loss": mean, "lr": outcome.learningRate, "grad_norm": outcome.gradientNorm]
                log.record("train", fields.merging(outcome.fields) { shared, _ in shared })
                log.progress(step: s, loss: mean, learningRate: outcome.learningRate, extra: outcome.progressNote)
                lossSum = 0; lossCount = 0
            }
            if s % checkpointEvery == 0 { try checkpoint() }
            if s % evaluateEvery == 0 || s == totalSteps {
                log.newline()
                try validate(s)
            }
        }
        try checkpoint()
        log.newline()
        log.record("stop", ["step": trainer.step, "training_seconds": trainer.trainingSeconds])
    }
}
