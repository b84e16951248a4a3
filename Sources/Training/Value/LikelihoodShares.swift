import ARDM
import Audio
import Rewards

/// Where a rollout gains and loses its CTC likelihood, token by token: Task B's dense value
/// targets (`ValueTrainConfig.shareHorizon`). The recogniser gives each of its frames a share
/// of ln p(phonemes | audio) (`ctcFrameShares`); a token gets the shares of the frames whose
/// centres fall in its span.
enum LikelihoodShares {
    /// Per-token shares of vocoded rollouts: `waveforms[i]` renders `tokenCounts[i]` tokens and
    /// `inputs[i]` carries its phonemes. Nil for a clip whose phonemes do not fit its frames.
    static func tokens(of waveforms: [Waveform], tokenCounts: [Int], inputs: [RewardInput], reward: CTCLikelihoodReward,
                       secondsPerToken: Double) throws -> [[Float]?] {
        var heard = inputs
        for i in heard.indices { heard[i].audio = waveforms[i].samples }
        return zip(try reward.frameShares(heard), tokenCounts).map { frames, count in
            perToken(frameShares: frames, frameRate: reward.frameRate, tokenRate: 1 / secondsPerToken, tokenCount: count)
        }
    }

    /// Frame shares summed into the tokens whose time span holds each frame's centre (the
    /// recogniser's frames and the model's tokens tile the same clip at different rates; the
    /// last token takes any frames past the end). Nil where the phonemes did not fit the clip
    /// (its likelihood is 0 and has no shares).
    static func perToken(frameShares: [Double], frameRate: Double, tokenRate: Double, tokenCount: Int) -> [Float]? {
        guard tokenCount > 0, !frameShares.isEmpty else { return nil }
        var tokens = [Float](repeating: 0, count: tokenCount)
        for (f, share) in frameShares.enumerated() {
            let n = Int((Double(f) + 0.5) / frameRate * tokenRate)
            tokens[min(max(n, 0), tokenCount - 1)] += Float(share)
        }
        return tokens
    }

    /// Σ_{m=n−B}^{n+H−1} x_m for every n (the window cut at both ends): the value's target at
    /// token n, B = `lookback`, H = `horizon`.
    static func windowSums(_ x: [Float], lookback: Int = 0, horizon: Int) -> [Double] {
        var prefix = [0.0]
        for v in x { prefix.append(prefix.last! + Double(v)) }
        return x.indices.map { n in prefix[min(n + horizon, x.count)] - prefix[max(n - lookback, 0)] }
    }
}
