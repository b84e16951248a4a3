/// What one value step measured.
public struct ValueStepResult: Sendable {
    /// Mean of the objective's terms.
    public var loss: Float
    /// Mean |V − r| over the sampled points (comparable across objectives).
    public var absoluteError: Float
    /// V, r and the trajectory's rollout group at every sampled point, in order.
    public var predictions: [Float], targets: [Float], groups: [Int?]
    /// How far into its generated tokens each point lies, in [0, 1): a value can only know what
    /// the sequence up to the point decided, so how well it ranks samples should grow with this.
    public var progress: [Float]

    public init(loss: Float, absoluteError: Float, predictions: [Float] = [], targets: [Float] = [], groups: [Int?] = [],
                progress: [Float] = []) {
        self.loss = loss; self.absoluteError = absoluteError; self.predictions = predictions; self.targets = targets
        self.groups = groups.isEmpty ? Array(repeating: nil, count: predictions.count) : groups
        self.progress = progress.isEmpty ? Array(repeating: 0, count: predictions.count) : progress
    }

    /// The points whose progress lies in `range`, with their loss and error left as they were
    /// (the correlations are what a subset is for).
    public func points(inProgress range: Range<Float>) -> ValueStepResult {
        let kept = progress.indices.filter { range.contains(progress[$0]) }
        return ValueStepResult(loss: loss, absoluteError: absoluteError, predictions: kept.map { predictions[$0] },
                               targets: kept.map { targets[$0] }, groups: kept.map { groups[$0] },
                               progress: kept.map { progress[$0] })
    }

    /// Pearson correlation of V with r over the points: whether V tells trajectories apart at
    /// all. The mean errors cannot say this when the targets are group-normalised (a constant V
    /// already scores |V − z| ≈ 0.8); nil with fewer than two points or a constant side.
    public var correlation: Float? { Self.pearson(predictions, targets) }

    /// The same within rollout groups: V and r less their means over the group's points. With
    /// group-normalised targets a V that only knows the text and voice (constant within a group)
    /// scores 0 here, and so does it, diluted, in `correlation`; this says whether V tells apart
    /// the samples of one text, which is what guidance needs. Points without a group are left out.
    public var withinGroupCorrelation: Float? {
        var sums: [Int: (v: Float, r: Float, n: Float)] = [:]
        for (v, (r, group)) in zip(predictions, zip(targets, groups)) {
            guard let group else { continue }
            let s = sums[group, default: (0, 0, 0)]
            sums[group] = (s.v + v, s.r + r, s.n + 1)
        }
        var vs: [Float] = [], rs: [Float] = []
        for (v, (r, group)) in zip(predictions, zip(targets, groups)) {
            guard let group, let s = sums[group] else { continue }
            vs.append(v - s.v / s.n); rs.append(r - s.r / s.n)
        }
        return Self.pearson(vs, rs)
    }

    private static func pearson(_ a: [Float], _ b: [Float]) -> Float? {
        guard a.count > 1 else { return nil }
        let n = Float(a.count), ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var cov: Float = 0, aa: Float = 0, bb: Float = 0
        for (x, y) in zip(a, b) { cov += (x - ma) * (y - mb); aa += (x - ma) * (x - ma); bb += (y - mb) * (y - mb) }
        guard aa > 0, bb > 0 else { return nil }
        return cov / (aa * bb).squareRoot()
    }

    /// Several batches' results as one: point-weighted means and every point.
    public static func merged(_ results: [ValueStepResult]) -> ValueStepResult {
        let counts = results.map { Float($0.predictions.count) }, total = counts.reduce(0, +)
        guard total > 0 else { return ValueStepResult(loss: 0, absoluteError: 0) }
        return ValueStepResult(loss: zip(results, counts).map { $0.loss * $1 }.reduce(0, +) / total,
                               absoluteError: zip(results, counts).map { $0.absoluteError * $1 }.reduce(0, +) / total,
                               predictions: results.flatMap(\.predictions), targets: results.flatMap(\.targets),
                               groups: results.flatMap(\.groups), progress: results.flatMap(\.progress))
    }
}
