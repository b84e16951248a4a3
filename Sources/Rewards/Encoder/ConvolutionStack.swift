import Foundation
import NN

/// One convolution of a `ConvolutionStack`: output channels, kernel (frames) and stride.
/// Padding is kernel/2 on both ends, so a stride-1 layer keeps the length (odd kernels).
public struct ConvolutionSpec: Codable, Sendable, Equatable {
    public var channels: Int
    public var kernel: Int
    public var stride: Int
    public init(channels: Int, kernel: Int, stride: Int) { self.channels = channels; self.kernel = kernel; self.stride = stride }
    public var padding: Int { kernel / 2 }
}

/// Convolutions over time, each followed by GELU, over (B, T, C) feature sequences of unequal
/// lengths: layer i maps (B, Tᵢ, Cᵢ) to (B, Tᵢ₊₁, Cᵢ₊₁). After each layer the frames past a
/// sequence's own output length are set to 0 — exactly what the next layer's zero padding
/// would see for that sequence alone — so a batched utterance gives the same result as alone.
public struct ConvolutionStack: Sendable {
    public let inputChannels: Int
    public let specs: [ConvolutionSpec]
    let offsets: [(weight: Int, bias: Int)]

    public init(inputChannels: Int, specs: [ConvolutionSpec], prefix: String, layout: inout Layout) {
        self.inputChannels = inputChannels
        self.specs = specs
        var c = inputChannels
        offsets = specs.enumerated().map { i, s in
            defer { c = s.channels }
            return (layout.add("\(prefix)\(i).weight", [s.channels, s.kernel * c]),
                    layout.add("\(prefix)\(i).bias", [s.channels], decays: false))
        }
    }

    public var outputChannels: Int { specs.last?.channels ?? inputChannels }

    /// Input channels of layer i.
    func channels(into i: Int) -> Int { i == 0 ? inputChannels : specs[i - 1].channels }

    /// Frames out of the whole stack for `length` frames in.
    public func outputLength(_ length: Int) -> Int {
        specs.reduce(length) { Conv1dShape.outputLength($0, kernel: $1.kernel, stride: $1.stride, padding: $1.padding) }
    }

    /// He initialisation for a GELU net: N(0, √(2 / fan-in)), fan-in = K·C; zero biases.
    public func initialize(_ params: ParameterSet, _ rng: inout RNG) {
        for (i, s) in specs.enumerated() {
            let fanIn = s.kernel * channels(into: i)
            rng.fillNormal(params.values.pointer(at: offsets[i].weight), count: s.channels * fanIn,
                           std: (2 / Float(fanIn)).squareRoot())
            params.values.pointer(at: offsets[i].bias).update(repeating: 0, count: s.channels)
        }
    }

    func shape(_ i: Int, B: Int, T: Int) -> Conv1dShape {
        let s = specs[i]
        return Conv1dShape(B: B, T: T, C: channels(into: i), OC: s.channels, kernel: s.kernel, stride: s.stride, padding: s.padding)
    }

    /// `inp (B, T, C₀)` → `acts.output (B, T_L, C_L)`; returns the output length of each sequence.
    @discardableResult
    public func forward(_ params: ParameterSet, _ acts: ConvolutionActivations, inp: UnsafePointer<Float>,
                        B: Int, T: Int, lengths: [Int32]) -> [Int32] {
        precondition(B <= acts.maxB && B * T <= acts.maxRows, "batch \(B)x\(T) exceeds activations (\(acts.maxB) sequences, \(acts.maxRows) frames)")
        let w = params.values.base
        acts.B = B
        var x = inp, t = T, valid = lengths
        for i in specs.indices {
            let s = shape(i, B: B, T: t), a = acts.layers[i]
            conv1dForward(out: a.pre, columns: a.columns, inp: x, weight: w + offsets[i].weight, bias: w + offsets[i].bias, shape: s)
            geluForward(out: a.post, inp: a.pre, count: B * s.outT * s.OC)
            valid = valid.map { Int32(Conv1dShape.outputLength(Int($0), kernel: s.kernel, stride: s.stride, padding: s.padding)) }
            zeroPadding(a.post, lengths: valid, B: B, T: s.outT, C: s.OC)
            acts.inputFrames[i] = t
            acts.outputLengths[i] = valid
            x = UnsafePointer(a.post); t = s.outT
        }
        return valid
    }

    /// Backward from `dout (B, T_L, C_L)` (padding frames ignored); accumulates parameter
    /// gradients and, when `dinp` is given, the input gradient into `dinp (B, T, C₀)`.
    public func backward(_ params: ParameterSet, _ acts: ConvolutionActivations, dout: UnsafePointer<Float>, dinp: FloatPointer?) {
        let w = params.values.base, g = params.grads.base
        let B = acts.B
        for i in specs.indices.reversed() {
            let s = shape(i, B: B, T: acts.inputFrames[i]), a = acts.layers[i]
            let n = B * s.outT * s.OC
            // The layer above wrote this layer's output gradient into dpost already.
            if i == specs.count - 1 { a.dpost.update(from: dout, count: n) }
            // Padding frames were set to 0 after the GELU: no gradient flows through them.
            zeroPadding(a.dpost, lengths: acts.outputLengths[i], B: B, T: s.outT, C: s.OC)
            a.dpre.update(repeating: 0, count: n)
            geluBackward(dinp: a.dpre, dout: a.dpost, inp: a.pre, count: n)
            let below: FloatPointer? = i > 0 ? acts.layers[i - 1].dpost : dinp
            if i > 0 { below!.update(repeating: 0, count: B * s.T * s.C) }
            conv1dBackward(dinp: below, dweight: g + offsets[i].weight, dbias: g + offsets[i].bias, dout: a.dpre,
                           columns: a.columns, weight: w + offsets[i].weight, shape: s, scratch: acts.columnScratch)
        }
    }
}

/// Sets frames t ≥ lengths[b] of `x (B, T, C)` to zero.
func zeroPadding(_ x: FloatPointer, lengths: [Int32], B: Int, T: Int, C: Int) {
    for b in 0..<B where Int(lengths[b]) < T {
        (x + (b * T + Int(lengths[b])) * C).update(repeating: 0, count: (T - Int(lengths[b])) * C)
    }
}
