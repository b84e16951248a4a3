/// `C (M, N) = A (M, K) · B (N, K)ᵀ (+ C)` for few rows M: a linear layer at sampling time,
/// where M is two rows per sequence (LM guidance) and B is the layer's weight.
///
/// Why not OpenBLAS: for a handful of rows its transposed-B path repacks the whole weight on
/// every call, and which path it takes jumps with the shape (measured here, one thread: a
/// (2, 256)·(768, 256)ᵀ product took 95 µs, the (2, 256)·(384, 256)ᵀ half of it 11 µs). This
/// kernel reads each weight row once per four input rows (per pair at batch 1), with no packing.
///
/// Every element is the same computation whatever M, the tile it falls in or the worker that
/// computes it: eight-lane partial sums over K in order, one fixed horizontal sum, then the
/// tail of K. So a sequence's outputs do not depend on which other sequences share the batch.
public enum FewRowsProduct {
    /// Products with more rows than this go to OpenBLAS.
    public static let maxRows = 32

    typealias Lanes = SIMD8<Float>

    /// Below this many multiply-adds per thread (~2 µs) a product is not split.
    static let minimumWorkPerThread = 1 << 15

    /// C = A·Bᵀ (accumulate: C += A·Bᵀ), split by columns of C over the spinning workers.
    static func multiply(_ c: FloatPointer, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                         M: Int, N: Int, K: Int, lda: Int, ldb: Int, ldc: Int, accumulate: Bool) {
        inParts(M: M, N: N, K: K, unit: 24) { cols in
            columns(cols, c, a, b, M: M, K: K, lda: lda, ldb: ldb, ldc: ldc, accumulate: accumulate)
        }
    }

    /// Runs `body` on ranges of C's N columns over the spinning workers, one range per part, cut
    /// at multiples of `unit` so that every part but the last holds whole tiles.
    static func inParts(M: Int, N: Int, K: Int, unit: Int, _ body: (Range<Int>) -> Void) {
        let workers = SpinningWorkers.shared
        let parts = min(workers.helpers + 1, M * N * K / minimumWorkPerThread + 1, max(1, N / unit))
        workers.run(parts: parts) { p in
            body((p * N / parts / unit * unit)..<(p + 1 == parts ? N : (p + 1) * N / parts / unit * unit))
        }
    }

    /// Columns `cols` of C, in tiles that load each weight vector once for several rows: with
    /// four rows or more, 4 rows × 3 columns (twelve accumulators, three weight vectors and one
    /// input vector fill AVX2's sixteen registers); with two or three (batch 1's pair), 2 rows ×
    /// 4 columns; with one, 1 row × 8 columns. Single elements at the edges.
    private static func columns(_ cols: Range<Int>, _ c: FloatPointer, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                M: Int, K: Int, lda: Int, ldb: Int, ldc: Int, accumulate: Bool) {
        @inline(__always) func store(_ value: Float, _ i: Int, _ j: Int) {
            c[i * ldc + j] = accumulate ? c[i * ldc + j] + value : value
        }
        @inline(__always) func single(_ i: Int, _ j: Int) { store(dot(a + i * lda, b + j * ldb, K: K), i, j) }
        // Whole tiles from the first column on; returns the first column left over. Inlined
        // twice, so each tile shape's loops have constant bounds.
        @inline(__always) func sweep(rows tileRows: Int, columns tileColumns: Int,
                                     _ tile: (UnsafePointer<Float>, UnsafePointer<Float>) -> SIMD16<Float>) -> Int {
            var j = cols.lowerBound
            while j + tileColumns <= cols.upperBound {
                var i = 0
                while i + tileRows <= M {
                    let t = tile(a + i * lda, b + j * ldb)
                    for r in 0..<tileRows { for q in 0..<tileColumns { store(t[r * tileColumns + q], i + r, j + q) } }
                    i += tileRows
                }
                for ii in i..<M { for q in 0..<tileColumns { single(ii, j + q) } }
                j += tileColumns
            }
            return j
        }
        let j = switch M {
        case 4...: sweep(rows: 4, columns: 3) { tile4x3($0, lda: lda, $1, ldb: ldb, K: K) }
        case 2...: sweep(rows: 2, columns: 4) { tile2x4($0, lda: lda, $1, ldb: ldb, K: K) }
        default: sweep(rows: 1, columns: 8) { tile1x8($0, $1, ldb: ldb, K: K) }
        }
        for jj in j..<cols.upperBound {
            for i in 0..<M { single(i, jj) }
        }
    }

    /// Four rows of A against three rows of B: twelve dot products, each exactly `dot`'s (the
    /// last four lanes of the result are unused).
    @inline(__always)
    private static func tile4x3(_ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, K: Int) -> SIMD16<Float> {
        let a0 = a, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, b0 = b, b1 = b + ldb, b2 = b1 + ldb
        var s00 = Lanes(), s01 = Lanes(), s02 = Lanes(), s10 = Lanes(), s11 = Lanes(), s12 = Lanes()
        var s20 = Lanes(), s21 = Lanes(), s22 = Lanes(), s30 = Lanes(), s31 = Lanes(), s32 = Lanes()
        var k = 0
        while k + 8 <= K {
            let w0 = load(b0 + k), w1 = load(b1 + k), w2 = load(b2 + k)
            let x0 = load(a0 + k)
            s00.addProduct(x0, w0); s01.addProduct(x0, w1); s02.addProduct(x0, w2)
            let x1 = load(a1 + k)
            s10.addProduct(x1, w0); s11.addProduct(x1, w1); s12.addProduct(x1, w2)
            let x2 = load(a2 + k)
            s20.addProduct(x2, w0); s21.addProduct(x2, w1); s22.addProduct(x2, w2)
            let x3 = load(a3 + k)
            s30.addProduct(x3, w0); s31.addProduct(x3, w1); s32.addProduct(x3, w2)
            k += 8
        }
        var t = SIMD16<Float>()
        t[0] = finish(s00, a0, b0, k, K); t[1] = finish(s01, a0, b1, k, K); t[2] = finish(s02, a0, b2, k, K)
        t[3] = finish(s10, a1, b0, k, K); t[4] = finish(s11, a1, b1, k, K); t[5] = finish(s12, a1, b2, k, K)
        t[6] = finish(s20, a2, b0, k, K); t[7] = finish(s21, a2, b1, k, K); t[8] = finish(s22, a2, b2, k, K)
        t[9] = finish(s30, a3, b0, k, K); t[10] = finish(s31, a3, b1, k, K); t[11] = finish(s32, a3, b2, k, K)
        return t
    }

    /// Two rows of A against four rows of B: eight dot products, each exactly `dot`'s (the last
    /// eight lanes of the result are unused).
    @inline(__always)
    private static func tile2x4(_ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, K: Int) -> SIMD16<Float> {
        let a0 = a, a1 = a + lda, b0 = b, b1 = b + ldb, b2 = b1 + ldb, b3 = b2 + ldb
        var s00 = Lanes(), s01 = Lanes(), s02 = Lanes(), s03 = Lanes()
        var s10 = Lanes(), s11 = Lanes(), s12 = Lanes(), s13 = Lanes()
        var k = 0
        while k + 8 <= K {
            let x0 = load(a0 + k), x1 = load(a1 + k)
            let w0 = load(b0 + k), w1 = load(b1 + k), w2 = load(b2 + k), w3 = load(b3 + k)
            s00.addProduct(x0, w0); s01.addProduct(x0, w1); s02.addProduct(x0, w2); s03.addProduct(x0, w3)
            s10.addProduct(x1, w0); s11.addProduct(x1, w1); s12.addProduct(x1, w2); s13.addProduct(x1, w3)
            k += 8
        }
        let first = SIMD8(finish(s00, a0, b0, k, K), finish(s01, a0, b1, k, K), finish(s02, a0, b2, k, K), finish(s03, a0, b3, k, K),
                          finish(s10, a1, b0, k, K), finish(s11, a1, b1, k, K), finish(s12, a1, b2, k, K), finish(s13, a1, b3, k, K))
        return SIMD16(lowHalf: first, highHalf: SIMD8())
    }

    /// One row of A against eight rows of B (a value model's single row at batch 1): eight
    /// independent sums where `dot` alone would wait on one accumulator's latency at every step.
    @inline(__always)
    private static func tile1x8(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, ldb: Int, K: Int) -> SIMD16<Float> {
        var sums = (Lanes(), Lanes(), Lanes(), Lanes(), Lanes(), Lanes(), Lanes(), Lanes())
        var k = 0
        while k + 8 <= K {
            let x = load(a + k)
            sums.0.addProduct(x, load(b + k)); sums.1.addProduct(x, load(b + ldb + k))
            sums.2.addProduct(x, load(b + 2 * ldb + k)); sums.3.addProduct(x, load(b + 3 * ldb + k))
            sums.4.addProduct(x, load(b + 4 * ldb + k)); sums.5.addProduct(x, load(b + 5 * ldb + k))
            sums.6.addProduct(x, load(b + 6 * ldb + k)); sums.7.addProduct(x, load(b + 7 * ldb + k))
            k += 8
        }
        let first = SIMD8(finish(sums.0, a, b, k, K), finish(sums.1, a, b + ldb, k, K),
                          finish(sums.2, a, b + 2 * ldb, k, K), finish(sums.3, a, b + 3 * ldb, k, K),
                          finish(sums.4, a, b + 4 * ldb, k, K), finish(sums.5, a, b + 5 * ldb, k, K),
                          finish(sums.6, a, b + 6 * ldb, k, K), finish(sums.7, a, b + 7 * ldb, k, K))
        return SIMD16(lowHalf: first, highHalf: SIMD8())
    }

    /// One dot product of length K, the reference computation every tile reproduces.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, K: Int) -> Float {
        var s = Lanes()
        var k = 0
        while k + 8 <= K { s.addProduct(load(a + k), load(b + k)); k += 8 }
        return finish(s, a, b, k, K)
    }

    /// The lanes' sum in a fixed order, then the last K mod 8 products in order.
    @inline(__always)
    private static func finish(_ s: Lanes, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ from: Int, _ K: Int) -> Float {
        let h = s.lowHalf + s.highHalf
        var total = (h[0] + h[2]) + (h[1] + h[3])
        for k in from..<K { total += a[k] * b[k] }
        return total
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Lanes { UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }
}
