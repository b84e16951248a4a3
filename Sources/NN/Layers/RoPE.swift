import Foundation

/// Rotary position embedding tables (RoFormer). Pairs (i, i + hd/2) of each head are rotated
/// by the angle `pos · base^(−2i/hd)` (the "rotate half" layout of GPT-NeoX/LLaMA).
///
/// Positions are explicit per row, so text and speech can each count from 0 (DESIGN §6).
public struct RoPETable: Sendable {
    public let headDim: Int
    public let maxPosition: Int
    /// cos and sin: (maxPosition, hd/2)
    private let cosTable: [Float]
    private let sinTable: [Float]

    public init(headDim: Int, maxPosition: Int, base: Float = 10_000) {
        precondition(headDim % 2 == 0, "RoPE needs an even head dimension")
        self.headDim = headDim
        self.maxPosition = maxPosition
        let half = headDim / 2
        var c = [Float](repeating: 0, count: maxPosition * half)
        var s = c
        for p in 0..<maxPosition {
            for i in 0..<half {
                let angle = Double(p) * pow(Double(base), -2 * Double(i) / Double(headDim))
                c[p * half + i] = Float(cos(angle))
                s[p * half + i] = Float(sin(angle))
            }
        }
        cosTable = c
        sinTable = s
    }

    /// Rotates one head vector `x (hd)` in place for position `pos`; `inverse` applies Rᵀ
    /// (the backward pass of a rotation is the rotation by the opposite angle).
    @inline(__always)
    public func rotate(_ x: FloatPointer, position pos: Int, inverse: Bool = false) {
        precondition(pos >= 0 && pos < maxPosition, "position \(pos) outside the RoPE table (max \(maxPosition))")
        let half = headDim / 2
        cosTable.withUnsafeBufferPointer { cb in
            sinTable.withUnsafeBufferPointer { sb in
                let c = cb.baseAddress! + pos * half, s = sb.baseAddress! + pos * half
                let sign: Float = inverse ? -1 : 1
                for i in 0..<half {
                    let a = x[i], b = x[i + half], si = sign * s[i]
                    x[i] = a * c[i] - b * si
                    x[i + half] = a * si + b * c[i]
                }
            }
        }
    }
}

/// Copies q and k of `qkv (B, T, 3C)` into `qk (B, T, 2C)` and rotates every head by its row's
/// position: the first step of both attention forwards.
func rotateQueriesAndKeys(qk: FloatPointer, qkv: UnsafePointer<Float>, positions: UnsafePointer<Int32>,
                          rope: RoPETable, shape s: AttentionShape) {
    let (C, NH, hd) = (s.C, s.NH, s.hd)
    Parallel.forRanges(s.B * s.T, grain: 64) { rows in
        for bt in rows {
            let dst = qk + bt * 2 * C
            dst.update(from: qkv + bt * 3 * C, count: 2 * C)
            for h in 0..<NH {
                rope.rotate(dst + h * hd, position: Int(positions[bt]))
                rope.rotate(dst + C + h * hd, position: Int(positions[bt]))
            }
        }
    }
}

/// The last step of both attention backwards: rotates the gradients of the rotated q and k
/// (`dqk (B, T, 2C)`, in place) back and accumulates them into the q and k parts of `dqkv`.
func accumulateUnrotatedGradients(dqkv: FloatPointer, dqk: FloatPointer, positions: UnsafePointer<Int32>,
                                  rope: RoPETable, shape s: AttentionShape) {
    let (C, NH, hd) = (s.C, s.NH, s.hd)
    Parallel.forRanges(s.B * s.T, grain: 64) { rows in
        for bt in rows {
            let g = dqk + bt * 2 * C, dst = dqkv + bt * 3 * C
            for h in 0..<NH {
                rope.rotate(g + h * hd, position: Int(positions[bt]), inverse: true)
                rope.rotate(g + C + h * hd, position: Int(positions[bt]), inverse: true)
            }
            for c in 0..<(2 * C) { dst[c] += g[c] }
        }
    }
}
