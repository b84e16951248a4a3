import ARDM
import Corpus
import Foundation
import NN
import Testing
import Training

/// Pre-training on a tiny corpus built by the corpus engines (seconds).
@Suite(.serialized) struct PretrainerTests {
    static let corpus: Result<URL, Error> = Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretrain-tests-\(getpid())-corpus")
        try? FileManager.default.removeItem(at: folder)
        try CorpusBuilder.build(CorpusBuildOptions(output: folder, size: .tiny, seed: 3, jobs: 2, quiet: true))
        return folder
    }

    static func config(run: URL) throws -> PretrainConfig {
        PretrainConfig(
            corpus: try corpus.get().path, run: run.path, seed: 5,
            model: .init(lm: TransformerConfig(channels: 32, layers: 2, heads: 2, maxPositions: 512),
                         head: .init(width: 32, blocks: 2, timeFrequencies: 16)),
            batchSize: 2, maxPositions: 512, timesPerToken: 2, steps: 6, warmupSteps: 2, learningRate: 1e-3,
            minLearningRate: 1e-4, gradClip: 1, lossWeights: ARDMLossWeights(), checkpointEvery: 3, validateEvery: 3,
            validationBatches: 1)
    }

    static func folder(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pretrain-tests-\(getpid())-\(name)")
        try? FileManager.default.removeItem(at: url)
        return url
    }

    /// Stopping after 3 steps and resuming from the checkpoint gives exactly the losses and
    /// weights of 6 uninterrupted steps.
    @Test func resumeIsExact() throws {
        let straight = try Pretrainer(config: Self.config(run: Self.folder("straight")))
        let all = try straight.run(progress: false)
        let run = Self.folder("resumed")
        let first = try Pretrainer(config: Self.config(run: run)).run(stopAfter: 3, progress: false)
        let resumed = try Pretrainer(config: Self.config(run: run))
        #expect(resumed.state.step == 3)
        let rest = try resumed.run(progress: false)
        #expect((first + rest).map(\.total) == all.map(\.total))
        #expect(resumed.model.params.values.toArray() == straight.model.params.values.toArray())
    }

    /// The checkpoint folder is a loadable model directory with the corpus's mel statistics.
    @Test func checkpointIsAModel() throws {
        let run = Self.folder("model")
        let trainer = try Pretrainer(config: Self.config(run: run))
        try trainer.run(stopAfter: 3, progress: false)
        let (model, file) = try ARDM.load(from: run.appendingPathComponent("checkpoint"))
        #expect(model.params.values.toArray() == trainer.model.params.values.toArray())
        #expect(file.melStatistics == trainer.model.melStatistics)
        #expect(try String(contentsOf: run.appendingPathComponent("log.jsonl"), encoding: .utf8).contains("validation_loss"))
    }
}
