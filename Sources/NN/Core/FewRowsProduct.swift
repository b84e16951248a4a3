/// `C (M, N) = A (M, K) · B (N, K)ᵀ (+ C)` for few rows M: a linear layer at sampling time,
/// where M is two rows per sequence (LM guidance) and B is the layer's weight.
///
/// Why not OpenBLAS: for a handful of rows its transposed-B path repacks the whole weight on
/// every call, and which path it takes jumps with the shape (measured here, one thread: a
/// (2, 256)·(768, 256)ᵀ product took 95 µs, the (2, 256)·(384, 256)ᵀ half of it 11 µs). This
/// kernel reads each weight row once per pair of input rows, with no packing.
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
        let workers = SpinningWorkers.shared
        let parts = min(workers.helpers + 1, M * N * K / minimumWorkPerThread + 1, max(1, N / 4))
        workers.run(parts: parts) { p in
            let lo = p * N / parts / 4 * 4, hi = p + 1 == parts ? N : (p + 1) * N / parts / 4 * 4
            columns(lo..<hi, c, a, b, M: M, K: K, lda: lda, ldb: ldb, ldc: ldc, accumulate: accumulate)
        }
    }

    /// Columns `cols` of C: tiles of 4 columns × 2 rows, single elements at the edges.
    private static func columns(_ cols: Range<Int>, _ c: FloatPointer, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                M: Int, K: Int, lda: Int, ldb: Int, ldc: Int, accumulate: Bool) {
        @inline(__always) func store(_ value: Float, _ i: Int, _ j: Int) {
            c[i * ldc + j] = accumulate ? c[i * ldc + j] + value : value
        }
        var j = cols.lowerBound
        while j + 4 <= cols.upperBound {
            var i = 0
            while i + 2 <= M {
                let t = tile(a + i * lda, lda: lda, b + j * ldb, ldb: ldb, K: K)
                for r in 0..<2 { for q in 0..<4 { store(t[r * 4 + q], i + r, j + q) } }
                i += 2
            }
            if i < M { for q in 0..<4 { store(dot(a + i * lda, b + (j + q) * ldb, K: K), i, j + q) } }
            j += 4
        }
        for jj in j..<cols.upperBound {
            for i in 0..<M { store(dot(a + i * lda, b + jj * ldb, K: K), i, jj) }
        }
    }

    /// Two rows of A against four rows of B: eight dot products, each exactly `dot`'s.
    @inline(__always)
    private static func tile(_ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, K: Int) -> SIMD8<Float> {
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
        return SIMD8(finish(s00, a0, b0, k, K), finish(s01, a0, b1, k, K), finish(s02, a0, b2, k, K), finish(s03, a0, b3, k, K),
                     finish(s10, a1, b0, k, K), finish(s11, a1, b1, k, K), finish(s12, a1, b2, k, K), finish(s13, a1, b3, k, K))
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
    private static func load(_ p: UnsafePointer<Float>) -> Lanes { UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }
}
