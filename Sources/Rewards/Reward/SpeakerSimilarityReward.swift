import Foundation

/// SIM (paper §4, DESIGN §8): cosine similarity of the speaker embeddings of the audio and of
/// its prompt, in [−1, 1]; higher means the clip sounds more like the prompt's voice.
public struct SpeakerSimilarityReward: Reward {
    public let encoder: SpeakerEncoder
    public var name: RewardName { .sim }
    public var direction: RewardDirection { .higherIsBetter }
    public var requiredInputs: [RewardInputKind] { [.promptAudio] }

    public init(encoder: SpeakerEncoder) { self.encoder = encoder }

    public func score(_ inputs: [RewardInput]) throws(RewardError) -> [RewardScore] {
        try validate(inputs)
        // One pass over outputs and prompts together, so both batch.
        let mels = inputs.map { encoder.logMel(ofAudio: $0.audio) } + inputs.map { encoder.logMel(ofAudio: $0.promptAudio!) }
        let e = encoder.embeddings(mels)
        return inputs.indices.map { RewardScore(value: cosineSimilarity(e[$0], e[inputs.count + $0])) }
    }

    /// The unit embedding of one clip (for callers that cache a prompt's embedding).
    public func embedding(ofAudio samples: [Float]) -> [Float] { encoder.embeddings([encoder.logMel(ofAudio: samples)])[0] }
}
