import Audio
import Foundation
import Text

/// Task B's reward (paper §4.2): the per-phoneme likelihood of the target phonemes under the
/// CTC recogniser, r = exp(−NLL / N) = p(phonemes | audio)^(1/N), in (0, 1); also the NLL.
///
/// The N-th root makes long and short texts comparable (a raw likelihood shrinks
/// geometrically with length). Details: "nll" (nats), "phonemes" (N), "per_phoneme_nll".
public struct CTCLikelihoodReward: Reward {
    public let recognizer: CTCRecognizer
    public let labels: PhonemeLabels
    public let phonemizer: Phonemizer
    public var name: RewardName { .ctcLikelihood }
    public var direction: RewardDirection { .higherIsBetter }
    public var requiredInputs: [RewardInputKind] { [.text] }

    public init(recognizer: CTCRecognizer, phonemizer: Phonemizer = Phonemizer()) {
        self.recognizer = recognizer
        self.labels = PhonemeLabels(vocabulary: phonemizer.vocabulary)
        self.phonemizer = phonemizer
    }

    public func score(_ inputs: [RewardInput]) throws(RewardError) -> [RewardScore] {
        try validate(inputs)
        let targets = try targetLabels(inputs, reward: name)
        let outputs = try recognize(inputs, reward: name)
        return zip(outputs, targets).map { Self.perPhonemeLikelihood($0, labels: $1) }
    }

    /// Where each clip's likelihood goes: per recogniser frame (`frameRate` per second), the
    /// frame's share of ln p(phonemes | audio) (`ctcFrameShares`); empty where they cannot fit.
    public func frameShares(_ inputs: [RewardInput]) throws(RewardError) -> [[Double]] {
        try validate(inputs)
        let targets = try targetLabels(inputs, reward: name)
        return zip(try recognize(inputs, reward: name), targets).map { $0.frameShares(labels: $1) }
    }

    /// Recogniser output frames per second of audio.
    public var frameRate: Double { recognizer.config.outputFrameRate }

    /// exp(−NLL/N) with its details; 0 when the phonemes cannot fit the audio's frames.
    public static func perPhonemeLikelihood(_ output: RecognizerOutput, labels: [Int32]) -> RewardScore {
        let nll = output.negativeLogLikelihood(labels: labels)
        let n = Double(max(labels.count, 1))
        return RewardScore(value: nll.isFinite ? exp(-nll / n) : 0,
                           details: ["nll": nll, "phonemes": Double(labels.count), "per_phoneme_nll": nll / n])
    }

    /// The spoken-phoneme labels of each input (given ids win over text).
    func targetLabels(_ inputs: [RewardInput], reward: RewardName) throws(RewardError) -> [[Int32]] {
        var result: [[Int32]] = []
        for (i, input) in inputs.enumerated() {
            var ids = input.phonemeIDs
            if ids == nil, let text = input.text {
                do { ids = try phonemizer.ids(text) } catch {
                    throw .unusableText(reward: reward.rawValue, item: i, reason: "\(error)")
                }
            }
            let l = labels.labels(fromTokenIDs: ids ?? [])
            guard !l.isEmpty else { throw .unusableText(reward: reward.rawValue, item: i, reason: "no spoken phonemes") }
            result.append(l)
        }
        return result
    }

    func recognize(_ inputs: [RewardInput], reward: RewardName) throws(RewardError) -> [RecognizerOutput] {
        let limit = recognizer.config.maximumMelFrames
        var mels: [LogMel] = []
        for (i, input) in inputs.enumerated() {
            let mel = recognizer.logMel(ofAudio: input.audio)
            guard mel.frameCount <= limit else {
                throw .unusableAudio(reward: reward.rawValue, item: i, reason: String(
                    format: "%.1f s is longer than the recogniser's %.1f s", Double(mel.frameCount) / recognizer.config.spectral.frameRate,
                    Double(limit) / recognizer.config.spectral.frameRate))
            }
            mels.append(mel)
        }
        return recognizer.recognize(mels)
    }
}

/// Phoneme error rate of greedy CTC decoding against the target phonemes (the
/// intelligibility metric; lower is better). Details: "edits", "phonemes".
public struct PhonemeErrorRateMetric: Reward {
    public let likelihood: CTCLikelihoodReward
    public var name: RewardName { .per }
    public var direction: RewardDirection { .lowerIsBetter }
    public var requiredInputs: [RewardInputKind] { [.text] }

    public init(recognizer: CTCRecognizer, phonemizer: Phonemizer = Phonemizer()) {
        likelihood = CTCLikelihoodReward(recognizer: recognizer, phonemizer: phonemizer)
    }

    public func score(_ inputs: [RewardInput]) throws(RewardError) -> [RewardScore] {
        try validate(inputs)
        let targets = try likelihood.targetLabels(inputs, reward: name)
        let outputs = try likelihood.recognize(inputs, reward: name)
        return zip(outputs, targets).map { out, reference in
            let edits = editDistance(out.greedyLabels(), reference)
            return RewardScore(value: Double(edits) / Double(reference.count),
                               details: ["edits": Double(edits), "phonemes": Double(reference.count)])
        }
    }
}
