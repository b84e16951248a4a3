import CBLAS
import Dispatch

/// Row-major matrix products through OpenBLAS `cblas_sgemm`, with a naive reference beside it.
///
/// `C (M, N) = alpha * op(A) (M, K) * op(B) (K, N) + beta * C`, where op transposes when asked.
/// Leading dimensions default to the dense ones, so strided views (one head inside a (T, 3C)
/// qkv buffer) can be multiplied in place without copies.
///
/// Threads: OpenBLAS runs single-threaded and large products are split here into one block of
/// rows (or columns) per worker. OpenBLAS's own pool spins (sched_yield) between calls and
/// fought the workers of the pointwise layers for the two cores: a sixth of a training step.
/// Products over a few rows (sampling's linear layers and value guidance's input gradients) go
/// to `FewRowsProduct` instead.
public func matmul(
    _ c: FloatPointer, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    M: Int, N: Int, K: Int,
    transA: Bool = false, transB: Bool = false,
    lda: Int? = nil, ldb: Int? = nil, ldc: Int? = nil,
    alpha: Float = 1, beta: Float = 0
) {
    let lda = lda ?? (transA ? M : K), ldb = ldb ?? (transB ? K : N), ldc = ldc ?? N
    if M <= FewRowsProduct.maxRows && !transA && alpha == 1 && (beta == 0 || beta == 1) {
        if transB {
            FewRowsProduct.multiply(c, a, b, M: M, N: N, K: K, lda: lda, ldb: ldb, ldc: ldc, accumulate: beta == 1)
        } else {
            FewRowsProduct.multiplyUntransposed(c, a, b, M: M, N: N, K: K, lda: lda, ldb: ldb, ldc: ldc, accumulate: beta == 1)
        }
        return
    }
    let parts = min(Parallel.workers, M * N * K / minimumWorkPerThread + 1)
    // Split the longer side of C, in multiples of 16 so each block keeps whole SIMD tiles.
    let splitRows = M >= N
    Parallel.forEach(parts) { p in
        let whole = splitRows ? M : N
        let lo = splitPoint(whole, p, parts), hi = splitPoint(whole, p + 1, parts)
        let (rows, cols) = splitRows ? (lo..<hi, 0..<N) : (0..<M, lo..<hi)
        // Row block of op(A) is a column block of A when A is transposed; likewise for op(B).
        sgemmSerial(c + rows.lowerBound * ldc + cols.lowerBound,
                    transA ? a + rows.lowerBound : a + rows.lowerBound * lda,
                    transB ? b + cols.lowerBound * ldb : b + cols.lowerBound,
                    M: rows.count, N: cols.count, K: K, transA: transA, transB: transB,
                    lda: lda, ldb: ldb, ldc: ldc, alpha: alpha, beta: beta)
    }
}

/// One `cblas_sgemm` call on the calling thread, for code that is already parallel (the
/// per-head loop of attention) and for small products. Leading dimensions are explicit.
@inline(__always)
func sgemmSerial(
    _ c: FloatPointer, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    M: Int, N: Int, K: Int, transA: Bool, transB: Bool, lda: Int, ldb: Int, ldc: Int, alpha: Float, beta: Float
) {
    Parallel.useSerialBLAS()
    guard M > 0 && N > 0 else { return }
    BLASClock.timed {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(M), Int32(N), Int32(K), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

/// Below this many multiply-adds per thread a product is not worth splitting (dispatch ~10 µs).
private let minimumWorkPerThread = 1 << 18

@inline(__always)
private func splitPoint(_ n: Int, _ p: Int, _ parts: Int) -> Int {
    p >= parts ? n : min(n, (n * p / parts + 15) / 16 * 16)
}

/// The obviously-correct triple loop, used by tests to check `matmul` (accumulates in Double).
public func matmulReference(
    _ c: FloatPointer, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    M: Int, N: Int, K: Int,
    transA: Bool = false, transB: Bool = false,
    lda: Int? = nil, ldb: Int? = nil, ldc: Int? = nil,
    alpha: Float = 1, beta: Float = 0
) {
    let lda = lda ?? (transA ? M : K), ldb = ldb ?? (transB ? K : N), ldc = ldc ?? N
    for i in 0..<M {
        for j in 0..<N {
            var sum = 0.0
            for k in 0..<K {
                let aik = transA ? a[k * lda + i] : a[i * lda + k]
                let bkj = transB ? b[j * ldb + k] : b[k * ldb + j]
                sum += Double(aik) * Double(bkj)
            }
            let prior = beta == 0 ? 0 : beta * c[i * ldc + j]
            c[i * ldc + j] = alpha * Float(sum) + prior
        }
    }
}

/// Sets how many threads OpenBLAS uses (it defaults to all cores).
public func setBLASThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
public func blasThreads() -> Int { Int(openblas_get_num_threads()) }
