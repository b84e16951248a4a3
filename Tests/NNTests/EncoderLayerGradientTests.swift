import NN
import GradientChecking
import Testing

/// The layers the reward models add (issue 5): convolution over time, statistics pooling,
/// L2 normalisation and bidirectional attention, each against finite differences; the
/// convolution also against its direct reference.
@Suite struct EncoderLayerGradientTests {
    @Test(arguments: [(stride: 1, padding: 1), (stride: 2, padding: 2), (stride: 3, padding: 0)])
    func conv1d(stride: Int, padding: Int) {
        var rng = RNG(seed: 21)
        let shape = Conv1dShape(B: 2, T: 7, C: 3, OC: 4, kernel: 3, stride: stride, padding: padding)
        let x = Param("x", count: shape.B * shape.T * shape.C, rng: &rng)
        let w = Param("weight", count: shape.OC * shape.kernel * shape.C, rng: &rng)
        let b = Param("bias", count: shape.OC, rng: &rng)
        let out = Slab(count: shape.B * shape.outT * shape.OC)
        let columns = Slab(count: shape.columnCount), scratch = Slab(count: shape.columnCount)
        checkGradients([x, w, b], output: out) {
            conv1dForward(out: out.base, columns: columns.base, inp: x.p, weight: w.p, bias: b.p, shape: shape)
        } backward: { d in
            conv1dBackward(dinp: x.g, dweight: w.g, dbias: b.g, dout: d, columns: columns.base, weight: w.p,
                           shape: shape, scratch: scratch.base)
        }
    }

    @Test func conv1dMatchesDirectConvolution() {
        var rng = RNG(seed: 22)
        let shape = Conv1dShape(B: 3, T: 20, C: 5, OC: 6, kernel: 5, stride: 2, padding: 2)
        let x = Slab(count: shape.B * shape.T * shape.C), w = Slab(count: shape.OC * shape.kernel * shape.C)
        let b = Slab(count: shape.OC)
        rng.fillNormal(x.base, count: x.count); rng.fillNormal(w.base, count: w.count); rng.fillNormal(b.base, count: b.count)
        let fast = Slab(count: shape.B * shape.outT * shape.OC), slow = Slab(count: fast.count)
        let columns = Slab(count: shape.columnCount)
        conv1dForward(out: fast.base, columns: columns.base, inp: x.base, weight: w.base, bias: b.base, shape: shape)
        conv1dReference(out: slow.base, inp: x.base, weight: w.base, bias: b.base, shape: shape)
        #expect(shape.outT == 10)
        for i in 0..<fast.count { #expect(abs(fast.base[i] - slow.base[i]) < 1e-4, "output \(i)") }
    }

    @Test func statisticsPoolingIgnoresPadding() {
        var rng = RNG(seed: 23)
        let (B, T, C) = (2, 6, 3)
        let lengths: [Int32] = [6, 4]
        let x = Param("x", count: B * T * C, rng: &rng)
        let out = Slab(count: B * 2 * C)
        checkGradients([x], output: out, eps: 1e-3) {
            statisticsPoolingForward(out: out.base, inp: x.p, lengths: lengths, B: B, T: T, C: C)
        } backward: { d in
            statisticsPoolingBackward(dinp: x.g, dout: d, out: out.base, inp: x.p, lengths: lengths, B: B, T: T, C: C)
        }
        // Padding frames of sequence 1 neither change the output nor receive gradient.
        let before = out.toArray()
        x.p[(1 * T + 5) * C] += 100
        statisticsPoolingForward(out: out.base, inp: x.p, lengths: lengths, B: B, T: T, C: C)
        #expect(out.toArray() == before)
        #expect(x.g[(1 * T + 5) * C] == 0)
    }

    @Test func l2Normalize() {
        var rng = RNG(seed: 24)
        let x = Param("x", count: 4 * 5, rng: &rng)
        let out = Slab(count: 4 * 5), norms = Slab(count: 4)
        checkGradients([x], output: out, eps: 1e-3) {
            l2NormalizeForward(out: out.base, norms: norms.base, inp: x.p, N: 4, C: 5)
        } backward: { d in
            l2NormalizeBackward(dinp: x.g, dout: d, out: out.base, norms: norms.base, N: 4, C: 5)
        }
        var ss: Float = 0
        for c in 0..<5 { ss += out.base[c] * out.base[c] }
        #expect(abs(ss - 1) < 1e-5)
    }

    @Test func bidirectionalAttentionWithKeyMask() {
        var rng = RNG(seed: 25)
        let shape = AttentionShape(B: 2, T: 5, C: 8, NH: 2)
        let rope = RoPETable(headDim: shape.hd, maxPosition: 16)
        let rows = shape.B * shape.T
        let lengths: [Int32] = [5, 3]
        let positions = (0..<rows).map { Int32($0 % shape.T) }
        let qkv = Param("qkv", count: rows * 3 * shape.C, rng: &rng)
        let out = Slab(count: rows * shape.C), qk = Slab(count: rows * 2 * shape.C)
        let att = Slab(count: shape.B * shape.NH * shape.T * shape.T), scratch = Slab(count: shape.backwardScratchCount)
        checkGradients([qkv], output: out, eps: 1e-3, maxProbes: 240) {
            bidirectionalAttentionForward(out: out.base, qk: qk.base, att: att.base, qkv: qkv.p, positions: positions,
                                          lengths: lengths, rope: rope, shape: shape)
        } backward: { d in
            bidirectionalAttentionBackward(dqkv: qkv.g, dout: d, qkv: qkv.p, qk: qk.base, att: att.base, positions: positions,
                                           lengths: lengths, rope: rope, shape: shape, scratch: scratch.base)
        }
        // The first query of sequence 0 attends the last key (no causal mask), and padding
        // keys of sequence 1 get probability 0.
        #expect(att.base[shape.T - 1] > 0)
        let p1 = att.base + shape.NH * shape.T * shape.T
        #expect(p1[3] == 0 && p1[4] == 0)
    }
}
