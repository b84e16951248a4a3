import Audio

/// Task A's reward (paper §4.1): F0 variance in Hz from Audio's `F0VarianceReward` (YIN track,
/// gaps bridged, phrase-level band-pass, standard deviation). Needs only the audio.
/// Details: "mean_f0_hz" (when voiced), "voiced_frames".
public struct F0VReward: Reward {
    public let f0v: F0VarianceReward
    public var name: RewardName { .f0v }
    public var direction: RewardDirection { .higherIsBetter }
    public var requiredInputs: [RewardInputKind] { [] }

    public init(f0v: F0VarianceReward = F0VarianceReward()) { self.f0v = f0v }

    public func score(_ inputs: [RewardInput]) throws(RewardError) -> [RewardScore] {
        try validate(inputs)
        return inputs.map { input in
            let r = f0v(input.audio)
            var details = ["voiced_frames": Double(r.voicedFrames)]
            if let mean = r.meanF0Hz { details["mean_f0_hz"] = mean }
            return RewardScore(value: r.f0VarianceHz, details: details)
        }
    }
}
