/// Per-mel-bin mean and standard deviation of log-mel frames over a corpus, stored in the
/// checkpoint so that training and inference normalise identically:
///   normalised[t, m] = (logmel[t, m] - mean[m]) / std[m].
public struct MelStatistics: Sendable, Codable, Equatable {
    /// (M,)
    public var mean: [Float]
    /// (M,), each at least `minimumStd`.
    public var std: [Float]

    /// A bin that is constant in the corpus (e.g. always at the floor) would divide by ~0;
    /// 1e-3 nats is far below any real variation, so it only guards against that.
    public static let minimumStd: Float = 1e-3

    public init(mean: [Float], std: [Float]) {
        precondition(mean.count == std.count)
        self.mean = mean
        self.std = std.map { max($0, Self.minimumStd) }
    }

    /// Identity statistics (mean 0, std 1) for M bins.
    public static func identity(melCount: Int) -> MelStatistics {
        MelStatistics(mean: [Float](repeating: 0, count: melCount), std: [Float](repeating: 1, count: melCount))
    }

    public func normalize(_ logMel: LogMel) -> LogMel {
        precondition(logMel.melCount == mean.count)
        var result = logMel
        let m = mean.count
        for i in result.values.indices { result.values[i] = (result.values[i] - mean[i % m]) / std[i % m] }
        return result
    }

    public func denormalize(_ normalized: LogMel) -> LogMel {
        precondition(normalized.melCount == mean.count)
        var result = normalized
        let m = mean.count
        for i in result.values.indices { result.values[i] = result.values[i] * std[i % m] + mean[i % m] }
        return result
    }
}

/// Streams log-mel frames into per-bin sums (Double, so millions of frames lose nothing).
public struct MelStatisticsAccumulator: Sendable {
    public private(set) var frameCount = 0
    private var sum: [Double]
    private var sumOfSquares: [Double]

    public init(melCount: Int) {
        sum = [Double](repeating: 0, count: melCount)
        sumOfSquares = sum
    }

    public mutating func add(_ logMel: LogMel) {
        precondition(logMel.melCount == sum.count)
        let m = sum.count
        for (i, value) in logMel.values.enumerated() {
            let v = Double(value)
            sum[i % m] += v
            sumOfSquares[i % m] += v * v
        }
        frameCount += logMel.frameCount
    }

    /// Mean and population standard deviation per bin; identity when nothing was added.
    public func statistics() -> MelStatistics {
        guard frameCount > 0 else { return .identity(melCount: sum.count) }
        let n = Double(frameCount)
        let mean = sum.map { $0 / n }
        let std = zip(sumOfSquares, mean).map { (max($0 / n - $1 * $1, 0)).squareRoot() }
        return MelStatistics(mean: mean.map(Float.init), std: std.map(Float.init))
    }
}
