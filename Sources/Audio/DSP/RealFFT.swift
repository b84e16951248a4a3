import Foundation

/// Real-input FFT of a power-of-two length N, by one complex FFT of length M = N/2.
///
/// Forward: x (N real) -> X[k] = Σ_n x[n] e^{-2πi kn/N}, k = 0...M (the M+1 non-redundant bins),
/// as separate real and imaginary arrays of length M+1. Inverse: X (M+1 bins) -> x with the 1/N
/// factor, so inverse(forward(x)) == x.
///
/// Method: pack z[m] = x[2m] + i x[2m+1], take Z = FFT_M(z) (iterative radix-2, bit-reversed
/// input order, precomputed twiddles), then split: E[k] = (Z[k] + conj Z[M-k]) / 2 and
/// O[k] = (Z[k] - conj Z[M-k]) / 2i are the DFTs of the even and odd samples, and
/// X[k] = E[k] + W^k O[k], X[M-k] = conj(E[k] - W^k O[k]) with W = e^{-2πi/N}.
/// The split works in place on bin pairs (k, M-k), so a transform allocates nothing: the
/// caller's output arrays are the work space. The tables are immutable, so one instance may be
/// shared by threads that each bring their own buffers.
public struct RealFFT: Sendable {
    /// Transform length N (real samples).
    public let count: Int
    /// Number of bins, N/2 + 1.
    public var binCount: Int { count / 2 + 1 }

    private let half: Int                 // M = N/2, the complex FFT length
    private let bitReversed: [Int32]      // (M,) bit-reversal permutation of 0..<M
    private let twiddleCos: [Float]       // (M/2,) cos(2π j / M)
    private let twiddleSin: [Float]       // (M/2,) sin(2π j / M)
    private let splitCos: [Float]         // (M/2+1,) cos(2π k / N)
    private let splitSin: [Float]         // (M/2+1,) sin(2π k / N)

    /// `count` must be a power of two, at least 4.
    public init(count: Int) {
        precondition(count >= 4 && count & (count - 1) == 0, "RealFFT length must be a power of two >= 4")
        self.count = count
        half = count / 2
        let bits = half.trailingZeroBitCount
        bitReversed = (0..<half).map { index in
            var reversed = 0
            for bit in 0..<bits where index & (1 << bit) != 0 { reversed |= 1 << (bits - 1 - bit) }
            return Int32(reversed)
        }
        let m = half
        twiddleCos = (0..<max(1, m / 2)).map { Float(cos(2 * Double.pi * Double($0) / Double(m))) }
        twiddleSin = (0..<max(1, m / 2)).map { Float(sin(2 * Double.pi * Double($0) / Double(m))) }
        splitCos = (0...m / 2).map { Float(cos(2 * Double.pi * Double($0) / Double(count))) }
        splitSin = (0...m / 2).map { Float(sin(2 * Double.pi * Double($0) / Double(count))) }
    }

    /// X = FFT(x). `input`: (N,); `real`, `imag`: (N/2+1,) outputs.
    public func forward(_ input: UnsafeBufferPointer<Float>, real: UnsafeMutableBufferPointer<Float>,
                        imag: UnsafeMutableBufferPointer<Float>) {
        precondition(input.count == count && real.count == binCount && imag.count == binCount)
        let re = real.baseAddress!, im = imag.baseAddress!, x = input.baseAddress!
        bitReversed.withUnsafeBufferPointer { order in
            for m in 0..<half {
                let source = Int(order[m])
                re[m] = x[2 * source]
                im[m] = x[2 * source + 1]
            }
        }
        complexTransform(re: re, im: im, inverse: false)
        splitForward(re: re, im: im)
    }

    /// x = IFFT(X), real part, including the 1/N factor. `real`, `imag`: (N/2+1,), used as work
    /// space (overwritten); imag[0] and imag[N/2] are ignored, as for any real signal. `output`: (N,).
    public func inverse(real: UnsafeMutableBufferPointer<Float>, imag: UnsafeMutableBufferPointer<Float>,
                        output: UnsafeMutableBufferPointer<Float>) {
        precondition(output.count == count && real.count == binCount && imag.count == binCount)
        let re = real.baseAddress!, im = imag.baseAddress!, x = output.baseAddress!
        splitInverse(re: re, im: im)
        // Bit-reverse Z into the output's even/odd slots, transform there, scale by 1/M... but the
        // transform needs split arrays, so permute in place within re/im instead (swap pairs).
        bitReversed.withUnsafeBufferPointer { order in
            for m in 0..<half {
                let partner = Int(order[m])
                if partner > m {
                    swap(&re[m], &re[partner])
                    swap(&im[m], &im[partner])
                }
            }
        }
        complexTransform(re: re, im: im, inverse: true)
        let scale = 1 / Float(half)
        for m in 0..<half {
            x[2 * m] = re[m] * scale
            x[2 * m + 1] = im[m] * scale
        }
    }

    /// In-place radix-2 decimation-in-time butterflies on bit-reversed data of length M.
    /// Forward uses e^{-2πi j/M}, inverse e^{+2πi j/M} (no scaling here).
    private func complexTransform(re: UnsafeMutablePointer<Float>, im: UnsafeMutablePointer<Float>, inverse: Bool) {
        let sign: Float = inverse ? 1 : -1
        twiddleCos.withUnsafeBufferPointer { cosTable in
            twiddleSin.withUnsafeBufferPointer { sinTable in
                var span = 1                     // half the butterfly group size
                while span < half {
                    let stride = half / (2 * span)   // twiddle index step for this stage
                    var group = 0
                    while group < half {
                        for j in 0..<span {
                            let wr = cosTable[j * stride], wi = sign * sinTable[j * stride]
                            let top = group + j, bottom = top + span
                            let br = re[bottom] * wr - im[bottom] * wi
                            let bi = re[bottom] * wi + im[bottom] * wr
                            re[bottom] = re[top] - br
                            im[bottom] = im[top] - bi
                            re[top] += br
                            im[top] += bi
                        }
                        group += 2 * span
                    }
                    span *= 2
                }
            }
        }
    }

    /// Z (M complex, in re/im[0..<M]) -> X (M+1 bins), in place on pairs (k, M-k).
    private func splitForward(re: UnsafeMutablePointer<Float>, im: UnsafeMutablePointer<Float>) {
        let z0r = re[0], z0i = im[0]
        re[0] = z0r + z0i; im[0] = 0
        re[half] = z0r - z0i; im[half] = 0
        if half >= 2 { im[half / 2] = -im[half / 2] }  // X[M/2] = conj Z[M/2]
        splitCos.withUnsafeBufferPointer { wc in
            splitSin.withUnsafeBufferPointer { ws in
                var k = 1
                while k < half - k {
                    let mk = half - k
                    let er = 0.5 * (re[k] + re[mk]), ei = 0.5 * (im[k] - im[mk])
                    let or = 0.5 * (im[k] + im[mk]), oi = -0.5 * (re[k] - re[mk])
                    let wr = wc[k], wi = -ws[k]                 // W^k = e^{-2πik/N}
                    let tr = wr * or - wi * oi, ti = wr * oi + wi * or
                    re[k] = er + tr; im[k] = ei + ti
                    re[mk] = er - tr; im[mk] = -(ei - ti)
                    k += 1
                }
            }
        }
    }

    /// X (M+1 bins) -> Z (M complex), the exact inverse of `splitForward`.
    private func splitInverse(re: UnsafeMutablePointer<Float>, im: UnsafeMutablePointer<Float>) {
        let x0 = re[0], xm = re[half]
        re[0] = 0.5 * (x0 + xm); im[0] = 0.5 * (x0 - xm)
        if half >= 2 { im[half / 2] = -im[half / 2] }
        splitCos.withUnsafeBufferPointer { wc in
            splitSin.withUnsafeBufferPointer { ws in
                var k = 1
                while k < half - k {
                    let mk = half - k
                    // E = (X[k] + conj X[M-k]) / 2, O = (X[k] - conj X[M-k]) conj(W^k) / 2.
                    let er = 0.5 * (re[k] + re[mk]), ei = 0.5 * (im[k] - im[mk])
                    let dr = 0.5 * (re[k] - re[mk]), di = 0.5 * (im[k] + im[mk])
                    let wr = wc[k], wi = ws[k]                  // conj(W^k) = e^{+2πik/N}
                    let or = dr * wr - di * wi, oi = dr * wi + di * wr
                    // Z[k] = E + iO, Z[M-k] = conj E + i conj O.
                    re[k] = er - oi; im[k] = ei + or
                    re[mk] = er + oi; im[mk] = -ei + or
                    k += 1
                }
            }
        }
    }
}

extension RealFFT {
    /// Convenience for tests and one-off use: allocates its outputs. Returns (real, imag), (N/2+1,) each.
    public func forward(_ input: [Float]) -> (real: [Float], imag: [Float]) {
        var real = [Float](repeating: 0, count: binCount), imag = real
        input.withUnsafeBufferPointer { x in
            real.withUnsafeMutableBufferPointer { r in imag.withUnsafeMutableBufferPointer { i in forward(x, real: r, imag: i) } }
        }
        return (real, imag)
    }

    /// Convenience inverse of `forward(_:)`; returns (N,).
    public func inverse(real: [Float], imag: [Float]) -> [Float] {
        var re = real, im = imag, output = [Float](repeating: 0, count: count)
        re.withUnsafeMutableBufferPointer { r in
            im.withUnsafeMutableBufferPointer { i in output.withUnsafeMutableBufferPointer { inverse(real: r, imag: i, output: $0) } }
        }
        return output
    }

    /// Reference O(N²) DFT in Double, the "obviously correct" twin that tests compare against.
    public static func naiveDFT(_ input: [Float]) -> (real: [Double], imag: [Double]) {
        let n = input.count
        var real = [Double](repeating: 0, count: n / 2 + 1), imag = real
        for k in 0...n / 2 {
            for (t, value) in input.enumerated() {
                let angle = -2 * Double.pi * Double(k * t % n) / Double(n)
                real[k] += Double(value) * cos(angle)
                imag[k] += Double(value) * sin(angle)
            }
        }
        return (real, imag)
    }
}
