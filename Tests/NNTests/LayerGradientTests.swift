import NN
import GradientChecking
import Testing

/// Finite-difference checks of every layer's backward, inputs and parameters (issue 2, must show 1).
@Suite struct LayerGradientTests {
    let N = 5, C = 6, OC = 7

    @Test func linear() {
        var rng = RNG(seed: 1)
        let x = Param("x", count: N * C, rng: &rng), w = Param("weight", count: OC * C, rng: &rng)
        let b = Param("bias", count: OC, rng: &rng)
        let out = Slab(count: N * OC)
        checkGradients([x, w, b], output: out) {
            linearForward(out: out.base, inp: x.p, weight: w.p, bias: b.p, N: N, C: C, OC: OC)
        } backward: { d in
            linearBackward(dinp: x.g, dweight: w.g, dbias: b.g, dout: d, inp: x.p, weight: w.p, N: N, C: C, OC: OC)
        }
    }

    @Test func embedding() {
        var rng = RNG(seed: 2)
        let table = Param("table", count: 4 * C, rng: &rng)
        let ids: [Int32] = [3, 0, 3, 1, 2]
        let out = Slab(count: ids.count * C)
        checkGradients([table], output: out) {
            embeddingForward(out: out.base, ids: ids, table: table.p, N: ids.count, C: C)
        } backward: { d in
            embeddingBackward(dtable: table.g, dout: d, ids: ids, N: ids.count, C: C)
        }
    }

    @Test(arguments: [true, false]) func rmsNorm(affine: Bool) {
        var rng = RNG(seed: 3)
        let x = Param("x", count: N * C, rng: &rng), w = Param("weight", count: C, rng: &rng)
        let out = Slab(count: N * C), rstd = Slab(count: N)
        checkGradients(affine ? [x, w] : [x], output: out, eps: 1e-3) {
            rmsNormForward(out: out.base, rstd: rstd.base, inp: x.p, weight: affine ? w.p : nil, N: N, C: C)
        } backward: { d in
            rmsNormBackward(dinp: x.g, dweight: affine ? w.g : nil, dout: d, inp: x.p, weight: affine ? w.p : nil,
                            rstd: rstd.base, N: N, C: C)
        }
    }

    @Test(arguments: [true, false]) func layerNorm(affine: Bool) {
        var rng = RNG(seed: 4)
        let x = Param("x", count: N * C, rng: &rng), w = Param("weight", count: C, rng: &rng)
        let b = Param("bias", count: C, rng: &rng)
        let out = Slab(count: N * C), mean = Slab(count: N), rstd = Slab(count: N)
        checkGradients(affine ? [x, w, b] : [x], output: out, eps: 1e-3) {
            layerNormForward(out: out.base, mean: mean.base, rstd: rstd.base, inp: x.p,
                             weight: affine ? w.p : nil, bias: affine ? b.p : nil, N: N, C: C)
        } backward: { d in
            layerNormBackward(dinp: x.g, dweight: affine ? w.g : nil, dbias: affine ? b.g : nil, dout: d, inp: x.p,
                              weight: affine ? w.p : nil, mean: mean.base, rstd: rstd.base, N: N, C: C)
        }
    }

    @Test func gelu() {
        var rng = RNG(seed: 5)
        let x = Param("x", count: 40, rng: &rng, std: 2)
        let out = Slab(count: 40)
        checkGradients([x], output: out, eps: 1e-3) { geluForward(out: out.base, inp: x.p, count: 40) }
            backward: { d in geluBackward(dinp: x.g, dout: d, inp: x.p, count: 40) }
    }

    @Test func silu() {
        var rng = RNG(seed: 6)
        let x = Param("x", count: 40, rng: &rng, std: 2)
        let out = Slab(count: 40)
        checkGradients([x], output: out, eps: 1e-3) { siluForward(out: out.base, inp: x.p, count: 40) }
            backward: { d in siluBackward(dinp: x.g, dout: d, inp: x.p, count: 40) }
    }

    @Test func swiglu() {
        var rng = RNG(seed: 7)
        let x = Param("x", count: N * 2 * C, rng: &rng, std: 2)
        let out = Slab(count: N * C)
        checkGradients([x], output: out, eps: 1e-3) { swigluForward(out: out.base, inp: x.p, N: N, H: C) }
            backward: { d in swigluBackward(dinp: x.g, dout: d, inp: x.p, N: N, H: C) }
    }

    @Test func residual() {
        var rng = RNG(seed: 8)
        let a = Param("a", count: 30, rng: &rng), b = Param("b", count: 30, rng: &rng)
        let out = Slab(count: 30)
        checkGradients([a, b], output: out) { residualForward(out: out.base, a: a.p, b: b.p, count: 30) }
            backward: { d in residualBackward(da: a.g, db: b.g, dout: d, count: 30) }
    }

    /// shift, scale and gate are slices of one (N, 3C) conditioning buffer, as in the diffusion head.
    @Test func adaLNModulateAndGate() {
        var rng = RNG(seed: 9)
        let x = Param("x", count: N * C, rng: &rng), cond = Param("cond", count: N * 3 * C, rng: &rng)
        let h = Param("h", count: N * C, rng: &rng)
        let modulated = Slab(count: N * C), out = Slab(count: N * C)
        let dmod = Slab(count: N * C)
        checkGradients([x, cond, h], output: out) {
            modulateForward(out: modulated.base, x: x.p, shift: cond.p, scale: cond.p + C, N: N, C: C, condStride: 3 * C)
            // out = x + gate · (modulated ⊙ h): exercises both ops and the strided slices.
            for i in 0..<(N * C) { out.base[i] = modulated.base[i] * h.p[i] }
            gatedAddForward(out: out.base, residual: x.p, h: out.base, gate: cond.p + 2 * C, N: N, C: C, condStride: 3 * C)
        } backward: { d in
            let prod = Slab(count: N * C), dprod = Slab(count: N * C)
            for i in 0..<(N * C) { prod.base[i] = modulated.base[i] * h.p[i] }
            gatedAddBackward(dresidual: x.g, dh: dprod.base, dgate: cond.g + 2 * C, dout: d, h: prod.base,
                             gate: cond.p + 2 * C, N: N, C: C, condStride: 3 * C)
            dmod.zero()
            for i in 0..<(N * C) { dmod.base[i] = dprod.base[i] * h.p[i]; h.g[i] += dprod.base[i] * modulated.base[i] }
            modulateBackward(dx: x.g, dshift: cond.g, dscale: cond.g + C, dout: dmod.base, x: x.p, scale: cond.p + C,
                             N: N, C: C, condStride: 3 * C)
        }
    }

    @Test func timestepEmbedding() {
        var rng = RNG(seed: 10)
        let t = Param("t", count: 4, rng: &rng)
        let out = Slab(count: 4 * 16)
        checkGradients([t], output: out, eps: 1e-3) { timestepEmbeddingForward(out: out.base, t: t.p, N: 4, D: 16) }
            backward: { d in timestepEmbeddingBackward(dt: t.g, dout: d, t: t.p, N: 4, D: 16) }
    }

    @Test(arguments: [false, true]) func causalSelfAttentionWithRoPE(alignmentHead: Bool) {
        var rng = RNG(seed: 11)
        let shape = AttentionShape(B: 2, T: 5, C: 8, NH: 2)
        let rope = RoPETable(headDim: shape.hd, maxPosition: 16)
        let rows = shape.B * shape.T
        let qkv = Param("qkv", count: rows * 3 * shape.C, rng: &rng)
        let qk = Slab(count: rows * 2 * shape.C)
        let att = Slab(count: shape.B * shape.NH * shape.T * shape.T), scratch = Slab(count: shape.backwardScratchCount)
        // Non-contiguous positions, as when text and speech count separately.
        let positions: [Int32] = [0, 1, 2, 0, 1, 3, 4, 5, 6, 7]
        // With an alignment head: head 0's queries past the text (2 and 3 positions) see text keys only,
        // and a loss on its probabilities (Σ w·p) adds its gradient through the hook.
        let textLengths: [Int32] = [2, 3]
        let weights = (0..<(shape.T * shape.T)).map { Float($0 % 7) * 0.1 }
        let out2 = Slab(count: rows * shape.C + 1)
        let penaltyGradient = Slab(count: 1)
        let hook: AttentionProbabilityGradient = { _, h, _, dp in
            guard h == 0 else { return }
            for i in 0..<(shape.T * shape.T) { dp[i] += penaltyGradient.base[0] * weights[i] }
        }
        checkGradients([qkv.checked], output: out2.base, outputCount: rows * shape.C + 1, eps: 1e-3, maxProbes: 240) {
            if alignmentHead {
                attentionForward(out: out2.base, qk: qk.base, att: att.base, qkv: qkv.p, positions: positions, rope: rope,
                                 shape: shape, textLengths: textLengths, alignmentHeads: 1)
                var penalty: Float = 0
                for b in 0..<shape.B { for i in 0..<(shape.T * shape.T) { penalty += weights[i] * att.base[b * shape.NH * shape.T * shape.T + i] } }
                out2.base[rows * shape.C] = penalty
            } else {
                attentionForward(out: out2.base, qk: qk.base, att: att.base, qkv: qkv.p, positions: positions, rope: rope, shape: shape)
                out2.base[rows * shape.C] = 0
            }
        } backward: { d in
            penaltyGradient.base[0] = d[rows * shape.C]
            attentionBackward(dqkv: qkv.g, dout: d, qkv: qkv.p, qk: qk.base, att: att.base, positions: positions,
                              rope: rope, shape: shape, scratch: scratch.base, probabilityGradient: alignmentHead ? hook : nil)
        }
        if alignmentHead {
            // Sequence 0 (text length 2): query 4 of head 0 gives keys 2…4 no weight.
            let p = att.base + 4 * shape.T
            #expect(p[2] == 0 && p[3] == 0 && p[4] == 0 && abs(p[0] + p[1] - 1) < 1e-5)
        }
    }
}
