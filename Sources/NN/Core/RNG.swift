import Foundation

/// A seeded, reproducible random number generator: xoshiro256** seeded through SplitMix64.
///
/// The same seed gives the same sequence on every run and machine (no global state, no
/// system entropy), which is what makes sampling bit-reproducible for a request's seed.
public struct RNG: RandomNumberGenerator, Sendable, Codable, Equatable {
    private var s0, s1, s2, s3: UInt64
    /// The second Gaussian of the last Box-Muller pair, returned by the next call.
    /// (Codable with the state words: a checkpoint restores the stream exactly.)
    private var spareNormal: Float?

    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1) with 24 bits of precision.
    @inline(__always)
    public mutating func uniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform integer in 0..<n.
    public mutating func int(below n: Int) -> Int {
        precondition(n > 0)
        return Int(next() % UInt64(n))
    }

    /// Standard normal by the Box-Muller transform (pairs; the spare is kept for the next call).
    public mutating func normal() -> Float {
        if let z = spareNormal { spareNormal = nil; return z }
        // 1 - u keeps the argument of log in (0, 1].
        let u1 = 1 - Double(next() >> 11) * 0x1p-53
        let u2 = Double(next() >> 11) * 0x1p-53
        let r = (-2 * Foundation.log(u1)).squareRoot()
        spareNormal = Float(r * Foundation.sin(2 * Double.pi * u2))
        return Float(r * Foundation.cos(2 * Double.pi * u2))
    }

    public mutating func fillNormal(_ p: FloatPointer, count: Int, mean: Float = 0, std: Float = 1) {
        for i in 0..<count { p[i] = mean + std * normal() }
    }

    public mutating func fillUniform(_ p: FloatPointer, count: Int, low: Float, high: Float) {
        for i in 0..<count { p[i] = low + (high - low) * uniform() }
    }

    /// A Fisher-Yates shuffle driven by this generator (Swift's own shuffle may change between releases).
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, int(below: i + 1)) }
    }
}
