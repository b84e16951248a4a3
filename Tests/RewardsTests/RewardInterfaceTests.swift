import Audio
import Foundation
import NN
import Rewards
import Testing
import Text

/// The reward interface: names, directions, clear errors for missing inputs, scores in range;
/// model files round trip; the corruption used by the ranking test.
@Suite struct RewardInterfaceTests {
    /// 1 s of a 150 Hz tone gliding to 200 Hz, at 16 kHz.
    static let audio: [Float] = (0..<16_000).map { i in
        let t = Float(i) / 16_000
        return 0.3 * sinf(2 * .pi * (150 * t + 25 * t * t))
    }

    static func tinyRecognizer() -> CTCRecognizer {
        let labels = PhonemeLabels()
        let config = RecognizerConfig(
            convolutions: [ConvolutionSpec(channels: 16, kernel: 5, stride: 2), ConvolutionSpec(channels: 16, kernel: 3, stride: 1)],
            encoder: TransformerConfig(channels: 16, layers: 1, heads: 2, mlp: .gelu, mlpHidden: 32, maxPositions: 512),
            classCount: labels.classCount, blank: labels.blank, phonemeVocabularyVersion: 1, melStatistics: .identity(melCount: 80))
        return CTCRecognizer(config: config, seed: 5)
    }

    static func tinySpeakerEncoder() -> SpeakerEncoder {
        SpeakerEncoder(config: SpeakerEncoderConfig(convolutions: [ConvolutionSpec(channels: 16, kernel: 5, stride: 2)],
                                                    embeddingSize: 8, melStatistics: .identity(melCount: 80)), seed: 6)
    }

    @Test func missingInputsAreNamed() throws {
        let ctc = CTCLikelihoodReward(recognizer: Self.tinyRecognizer())
        #expect(throws: RewardError.missingInput(reward: "ctc_likelihood", input: .text, item: 1)) {
            try ctc.score([RewardInput(audio: Self.audio, text: "Hello."), RewardInput(audio: Self.audio)])
        }
        let sim = SpeakerSimilarityReward(encoder: Self.tinySpeakerEncoder())
        #expect(throws: RewardError.missingInput(reward: "sim", input: .promptAudio, item: 0)) {
            try sim.score([RewardInput(audio: Self.audio)])
        }
        #expect(throws: RewardError.unusableAudio(reward: "f0v", item: 0, reason: "no samples")) {
            try F0VReward().score([RewardInput(audio: [])])
        }
        #expect(throws: RewardError.unknownReward("wer")) { try RewardCatalog.names("f0v,wer") }
        #expect(try RewardCatalog.names("all") == RewardName.allCases)
    }

    @Test func scoresAndDirections() throws {
        let recognizer = Self.tinyRecognizer()
        let inputs = [RewardInput(audio: Self.audio, text: "Hello world."),
                      RewardInput(audio: Self.audio, phonemeIDs: PhonemeVocabulary.standard.ids(["h", "ə", " ", "l", "oʊ"]))]
        let likelihood = try CTCLikelihoodReward(recognizer: recognizer).score(inputs)
        for s in likelihood {
            #expect(s.value > 0 && s.value < 1)
            #expect(abs(s.value - exp(-s.details["nll"]! / s.details["phonemes"]!)) < 1e-12)
        }
        #expect(likelihood[1].details["phonemes"] == 4)   // the word boundary is not a label
        let per = try PhonemeErrorRateMetric(recognizer: recognizer).score(inputs)
        #expect(per.allSatisfy { $0.value >= 0 })
        #expect(PhonemeErrorRateMetric(recognizer: recognizer).direction == .lowerIsBetter)
        let sim = try SpeakerSimilarityReward(encoder: Self.tinySpeakerEncoder()).score([RewardInput(audio: Self.audio, promptAudio: Self.audio)])
        #expect(abs(sim[0].value - 1) < 1e-5)
        let f0v = try F0VReward().score([RewardInput(audio: Self.audio)])
        #expect(f0v[0].value > 0 && abs(f0v[0].details["mean_f0_hz"]! - 175) < 15)
        #expect(RewardDirection.lowerIsBetter.oriented(0.2) == -0.2)
    }

    @Test func modelFilesRoundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rewards-roundtrip-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let recognizer = Self.tinyRecognizer()
        try recognizer.save(to: folder.appendingPathComponent("ctc"), dtype: .f32)
        let loaded = try CTCRecognizer.load(from: folder.appendingPathComponent("ctc"))
        #expect(loaded.config == recognizer.config)
        #expect(loaded.params.values.toArray() == recognizer.params.values.toArray())
        // A trained speaker encoder ships without its classifier and loads as the inference model.
        let trained = SpeakerEncoder(config: Self.tinySpeakerEncoder().config, classCount: 5, seed: 7)
        try trained.save(to: folder.appendingPathComponent("speaker"), dtype: .f32)
        let encoder = try SpeakerEncoder.load(from: folder.appendingPathComponent("speaker"))
        #expect(encoder.classCount == 0)
        let mel = encoder.logMel(ofAudio: Self.audio)
        #expect(encoder.embeddings([mel]) == trained.embeddings([mel]))
        #expect(throws: RewardError.self) { try CTCRecognizer.load(from: folder.appendingPathComponent("missing")) }
    }

    @Test func wordCorruptionRepeatsOrDropsOneWord() {
        let v = PhonemeVocabulary.standard
        let ids = v.ids(["h", "ə", " ", "l", "oʊ", " ", "w", "ɜː"])
        var rng = RNG(seed: 8)
        let repeated = WordCorruption.repeatWord.apply(ids, rng: &rng)!
        let dropped = WordCorruption.dropWord.apply(ids, rng: &rng)!
        #expect(repeated.filter { $0 == v.id(of: " ") }.count == 3)
        #expect(dropped.filter { $0 == v.id(of: " ") }.count == 1)
        #expect(WordCorruption.dropWord.apply(v.ids(["h", "ə"]), rng: &rng) == nil)
        // Only words with a spoken phoneme are picked: here the word "l".
        let withDash = v.ids(["\u{2014}", " ", "l"])
        #expect(WordCorruption.repeatWord.apply(withDash, isSpoken: PhonemeLabels().isLabel, rng: &rng) == v.ids(["\u{2014}", " ", "l", " ", "l"]))
        let labels = PhonemeLabels()
        #expect(labels.labels(fromTokenIDs: v.ids(["ˈ", "h", "ə", ",", " ", "l"])) == v.ids(["h", "ə", "l"]))
        #expect(!labels.isLabel(labels.blank))
    }
}
