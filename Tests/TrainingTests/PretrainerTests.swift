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

    /// With free-running segments in every sequence, sampled by the weights being trained
    /// (and re-aligned or not), a resumed run still repeats an uninterrupted one.
    @Test(arguments: [false, true]) func freeRunningSegmentsResumeExactly(realign: Bool) throws {
        func freeRunning(_ run: URL) throws -> PretrainConfig {
            var config = try Self.config(run: run)
            config.freeRunningSegments = FreeRunningSegments(probability: 1, tokens: 4, realign: realign)
            return config
        }
        let straight = try Pretrainer(config: freeRunning(Self.folder("free-straight-\(realign)")))
        let all = try straight.run(progress: false)
        let run = Self.folder("free-resumed-\(realign)")
        let first = try Pretrainer(config: freeRunning(run)).run(stopAfter: 3, progress: false)
        let rest = try Pretrainer(config: freeRunning(run)).run(progress: false)
        #expect((first + rest).map(\.total) == all.map(\.total))
    }

    /// With a weight average, a resumed run ends with the average of an uninterrupted one, and
    /// `checkpoint/average/` is a model folder holding it; a run resumed by a recipe that newly
    /// keeps an average starts it from the weights it resumes from.
    @Test func weightAverageResumesExactly() throws {
        func averaged(_ run: URL) throws -> PretrainConfig {
            var config = try Self.config(run: run)
            config.weightAverage = WeightAverageRecipe(decay: 0.5)
            return config
        }
        let straight = try Pretrainer(config: averaged(Self.folder("average-straight")))
        try straight.run(progress: false)
        let run = Self.folder("average-resumed")
        try Pretrainer(config: averaged(run)).run(stopAfter: 3, progress: false)
        let resumed = try Pretrainer(config: averaged(run))
        #expect(resumed.state.averageSince == 0)
        try resumed.run(progress: false)
        let average = try #require(resumed.weightAverage).values.toArray()
        #expect(average == straight.weightAverage!.values.toArray())
        #expect(average != resumed.model.params.values.toArray())
        let (saved, file) = try ARDM.load(from: run.appendingPathComponent("checkpoint/average"))
        #expect(saved.params.values.toArray() == average)
        #expect(file.provenance["average_since"] == "0" && file.provenance["step"] == "6")
        #expect(try String(contentsOf: run.appendingPathComponent("log.jsonl"), encoding: .utf8).contains("validation_average_loss"))

        let plain = Self.folder("average-late")
        try Pretrainer(config: Self.config(run: plain)).run(stopAfter: 3, progress: false)
        let late = try Pretrainer(config: averaged(plain))
        #expect(late.state.averageSince == 3)
        #expect(late.weightAverage!.values.toArray() == late.model.params.values.toArray())
    }

    /// A run started from other weights normalises its tokens with their mel statistics and
    /// keeps their phone classes, not the corpus's, and so does its resumption.
    @Test func initialWeightsKeepTheirTokenSpace() throws {
        let source = Self.folder("init-source")
        try Pretrainer(config: Self.config(run: source)).run(stopAfter: 1, progress: false)
        let (start, file) = try ARDM.load(from: source.appendingPathComponent("checkpoint"))
        start.melStatistics.mean = start.melStatistics.mean.map { $0 + 0.5 }
        let moved = Self.folder("init-moved")
        try start.save(to: moved, dtype: .f32, auxiliaryPhoneNames: file.auxiliaryPhoneNames, provenance: file.provenance)
        let run = Self.folder("init-run")
        let trainer = try Pretrainer(config: Self.config(run: run), initFrom: moved)
        #expect(trainer.model.melStatistics == start.melStatistics && trainer.phones.names == file.auxiliaryPhoneNames)
        try trainer.run(stopAfter: 2, progress: false)
        let resumed = try Pretrainer(config: Self.config(run: run))
        #expect(resumed.state.step == 2 && resumed.model.melStatistics == start.melStatistics)
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
