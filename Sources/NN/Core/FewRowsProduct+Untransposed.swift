extension FewRowsProduct {
    /// `C (M, N) = A (M, K) · B (K, N) (+ C)` for few rows M, B untransposed: the input gradient
    /// of a linear layer, dout · W, at sampling time (value guidance differentiates the value
    /// head at every denoising step, one or two rows per sequence).
    ///
    /// Why not OpenBLAS: for one row it runs at ~4 GFLOP/s here (`vgpo-bench few-rows`), and
    /// that backward was most of a guided step. This kernel walks K once, adding row k of B,
    /// scaled by A's element, into vector accumulators of C's row: each element is the fused
    /// multiply-adds over k in order from zero, whatever M, the tile it falls in or the worker,
    /// so a row's outputs do not depend on the other rows (as with `multiply`).
    static func multiplyUntransposed(_ c: FloatPointer, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                     M: Int, N: Int, K: Int, lda: Int, ldb: Int, ldc: Int, accumulate: Bool) {
        inParts(M: M, N: N, K: K, unit: 64) { cols in
            untransposedColumns(cols, c, a, b, M: M, K: K, lda: lda, ldb: ldb, ldc: ldc, accumulate: accumulate)
        }
    }

    /// Columns `cols` of C in tiles of 4 rows × 3 vectors (four rows or more), 2 rows × 4
    /// vectors (two or three) or 1 row × 8 vectors (one), then single vectors, then single
    /// elements; every element sums in the same order.
    private static func untransposedColumns(_ cols: Range<Int>, _ c: FloatPointer, _ a: UnsafePointer<Float>,
                                            _ b: UnsafePointer<Float>, M: Int, K: Int, lda: Int, ldb: Int, ldc: Int,
                                            accumulate: Bool) {
        @inline(__always) func store(_ sum: Lanes, _ i: Int, _ j: Int) {
            let p = c + i * ldc + j
            UnsafeMutableRawPointer(p).storeBytes(of: accumulate ? load(p) + sum : sum, as: Lanes.self)
        }
        @inline(__always) func sweep(rows tileRows: Int, vectors: Int, _ tile: (UnsafePointer<Float>, UnsafePointer<Float>) -> Tile) -> Int {
            var j = cols.lowerBound
            while j + 8 * vectors <= cols.upperBound {
                var i = 0
                while i + tileRows <= M {
                    let t = tile(a + i * lda, b + j)
                    withUnsafeBytes(of: t) { sums in
                        for r in 0..<tileRows {
                            for v in 0..<vectors { store(sums.load(fromByteOffset: (r * vectors + v) * 32, as: Lanes.self), i + r, j + 8 * v) }
                        }
                    }
                    i += tileRows
                }
                for ii in i..<M { for v in 0..<vectors { store(column(a + ii * lda, b + j + 8 * v, ldb: ldb, K: K), ii, j + 8 * v) } }
                j += 8 * vectors
            }
            return j
        }
        var j = switch M {
        case 4...: sweep(rows: 4, vectors: 3) { tile4x3v($0, lda: lda, $1, ldb: ldb, K: K) }
        case 2...: sweep(rows: 2, vectors: 4) { tile2x4v($0, lda: lda, $1, ldb: ldb, K: K) }
        default: sweep(rows: 1, vectors: 8) { tile1x8v($0, $1, ldb: ldb, K: K) }
        }
        while j + 8 <= cols.upperBound {
            for i in 0..<M { store(column(a + i * lda, b + j, ldb: ldb, K: K), i, j) }
            j += 8
        }
        for jj in j..<cols.upperBound {
            for i in 0..<M {
                var sum: Float = 0
                for k in 0..<K { sum.addProduct(a[i * lda + k], b[k * ldb + jj]) }
                c[i * ldc + jj] = accumulate ? c[i * ldc + jj] + sum : sum
            }
        }
    }

    /// Eight columns of one row: the reference computation of every lane of every tile.
    @inline(__always)
    private static func column(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, ldb: Int, K: Int) -> Lanes {
        var sum = Lanes()
        for k in 0..<K { sum.addProduct(Lanes(repeating: a[k]), load(b + k * ldb)) }
        return sum
    }

    private typealias Tile = (Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes)

    /// Rows i..<i+4 × three vectors of columns: twelve accumulators, three loads of B per k.
    @inline(__always)
    private static func tile4x3v(_ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, K: Int) -> Tile {
        var s = Tile(.init(), .init(), .init(), .init(), .init(), .init(), .init(), .init(), .init(), .init(), .init(), .init())
        for k in 0..<K {
            let row = b + k * ldb, w0 = load(row), w1 = load(row + 8), w2 = load(row + 16)
            let x0 = Lanes(repeating: a[k]), x1 = Lanes(repeating: a[lda + k])
            s.0.addProduct(x0, w0); s.1.addProduct(x0, w1); s.2.addProduct(x0, w2)
            s.3.addProduct(x1, w0); s.4.addProduct(x1, w1); s.5.addProduct(x1, w2)
            let x2 = Lanes(repeating: a[2 * lda + k]), x3 = Lanes(repeating: a[3 * lda + k])
            s.6.addProduct(x2, w0); s.7.addProduct(x2, w1); s.8.addProduct(x2, w2)
            s.9.addProduct(x3, w0); s.10.addProduct(x3, w1); s.11.addProduct(x3, w2)
        }
        return s
    }

    /// Rows i, i+1 × four vectors: eight accumulators.
    @inline(__always)
    private static func tile2x4v(_ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, K: Int) -> Tile {
        var s = Tile(.init(), .init(), .init(), .init(), .init(), .init(), .init(), .init(), .init(), .init(), .init(), .init())
        for k in 0..<K {
            let row = b + k * ldb, w0 = load(row), w1 = load(row + 8), w2 = load(row + 16), w3 = load(row + 24)
            let x0 = Lanes(repeating: a[k]), x1 = Lanes(repeating: a[lda + k])
            s.0.addProduct(x0, w0); s.1.addProduct(x0, w1); s.2.addProduct(x0, w2); s.3.addProduct(x0, w3)
            s.4.addProduct(x1, w0); s.5.addProduct(x1, w1); s.6.addProduct(x1, w2); s.7.addProduct(x1, w3)
        }
        return s
    }

    /// One row × eight vectors: eight accumulators.
    @inline(__always)
    private static func tile1x8v(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, ldb: Int, K: Int) -> Tile {
        var s = Tile(.init(), .init(), .init(), .init(), .init(), .init(), .init(), .init(), .init(), .init(), .init(), .init())
        for k in 0..<K {
            let row = b + k * ldb, x = Lanes(repeating: a[k])
            s.0.addProduct(x, load(row)); s.1.addProduct(x, load(row + 8)); s.2.addProduct(x, load(row + 16))
            s.3.addProduct(x, load(row + 24)); s.4.addProduct(x, load(row + 32)); s.5.addProduct(x, load(row + 40))
            s.6.addProduct(x, load(row + 48)); s.7.addProduct(x, load(row + 56))
        }
        return s
    }
}
