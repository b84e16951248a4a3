import Audio
import Foundation
import NN
import Rewards
import Testing

/// A corpus of random "mel" clips in memory: enough for the trainers' bookkeeping.
struct SyntheticCorpus: TrainingCorpus {
    let clips: [TrainingSplit: [TrainingUtterance]]
    let mels: [String: LogMel]

    init(seed: UInt64) {
        var rng = RNG(seed: seed)
        var clips: [TrainingSplit: [TrainingUtterance]] = [:], mels: [String: LogMel] = [:]
        let phonemes: [Int32] = [19, 20, 4, 21, 22, 23]   // spoken phonemes around a word boundary (4)
        for split in TrainingSplit.allCases {
            for i in 0..<6 {
                let frames = 40 + rng.int(below: 30)
                let id = "\(split.rawValue)-\(i)"
                clips[split, default: []].append(TrainingUtterance(id: id, voice: "voice-\(i % 3)", seenVoice: split != .test,
                                                                   phonemeIDs: phonemes, frameCount: frames, text: "x"))
                mels[id] = LogMel(frameCount: frames, melCount: 80, values: (0..<(frames * 80)).map { _ in rng.normal() })
            }
        }
        self.clips = clips; self.mels = mels
    }

    func utterances(_ split: TrainingSplit) -> [TrainingUtterance] { clips[split] ?? [] }
    func logMel(_ utterance: TrainingUtterance) throws -> LogMel { mels[utterance.id]! }
    func melStatistics() throws -> MelStatistics { .identity(melCount: 80) }
    var trainingVoices: [String] { ["voice-0", "voice-1", "voice-2"] }
    var description: String { "synthetic" }
}

/// Exact resume: stopping at a checkpoint and continuing gives bit-identical weights.
@Suite struct TrainerResumeTests {
    static let ctcConfig = CTCTrainingConfig(
        model: .init(convolutions: [ConvolutionSpec(channels: 16, kernel: 5, stride: 2), ConvolutionSpec(channels: 16, kernel: 3, stride: 1)],
                     channels: 16, layers: 1, heads: 2, mlpHidden: 32, maxPositions: 128),
        seed: 9, steps: 6, maxBatchFrames: 200, maxBatchUtterances: 3, maxUtteranceFrames: 1000, peakLearningRate: 0.003,
        finalLearningRate: 0.0001, warmupSteps: 2, weightDecay: 0.01, gradientClip: 1, augmentation: SpecAugment(),
        logEvery: 1, evaluateEvery: 100, checkpointEvery: 100, evaluationUtterances: 4, threads: 2)

    static let speakerConfig = SpeakerTrainingConfig(
        model: .init(convolutions: [ConvolutionSpec(channels: 16, kernel: 5, stride: 2)], embeddingSize: 8),
        seed: 9, steps: 6, batchSize: 4, cropFrames: 30, peakLearningRate: 0.003, finalLearningRate: 0.0001, warmupSteps: 2,
        weightDecay: 0.01, gradientClip: 5, logEvery: 1, evaluateEvery: 100, checkpointEvery: 100, evaluationUtterances: 6, threads: 2)

    func temporaryFolder(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rewards-\(name)-\(getpid())")
    }

    @Test func ctcTrainerResumesExactly() throws {
        let corpus = SyntheticCorpus(seed: 1), dir = temporaryFolder("ctc-resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        let straight = try CTCTrainer(config: Self.ctcConfig, corpus: corpus)
        for _ in 0..<6 { _ = try straight.trainStep() }
        let first = try CTCTrainer(config: Self.ctcConfig, corpus: corpus)
        for _ in 0..<3 { _ = try first.trainStep() }
        try first.saveCheckpoint(to: dir)
        let second = try CTCTrainer(config: Self.ctcConfig, corpus: corpus)
        #expect(try second.resume(from: dir))
        #expect(second.step == 3)
        for _ in 0..<3 { _ = try second.trainStep() }
        #expect(second.model.params.values.toArray() == straight.model.params.values.toArray())
        let e = try second.evaluate()
        #expect(e.utterances == 4 && e.phonemeErrorRate >= 0)
    }

    @Test func speakerTrainerResumesExactly() throws {
        let corpus = SyntheticCorpus(seed: 2), dir = temporaryFolder("speaker-resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        let straight = try SpeakerTrainer(config: Self.speakerConfig, corpus: corpus)
        for _ in 0..<6 { _ = try straight.trainStep() }
        let first = try SpeakerTrainer(config: Self.speakerConfig, corpus: corpus)
        for _ in 0..<3 { _ = try first.trainStep() }
        try first.saveCheckpoint(to: dir)
        let second = try SpeakerTrainer(config: Self.speakerConfig, corpus: corpus)
        #expect(try second.resume(from: dir))
        for _ in 0..<3 { _ = try second.trainStep() }
        #expect(second.model.params.values.toArray() == straight.model.params.values.toArray())
        let v = try second.evaluate()
        #expect(v.clips == 6 && v.voices == 3)
    }
}
