import CBLAS

/// Row-major matrix products through OpenBLAS `cblas_sgemm`, with a naive reference beside it.
///
/// `C (M, N) = alpha * op(A) (M, K) * op(B) (K, N) + beta * C`, where op transposes when asked.
/// Leading dimensions default to the dense ones, so strided views (one head inside a (T, 3C)
/// qkv buffer) can be multiplied in place without copies.
@inline(__always)
public func matmul(
    _ c: FloatPointer, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    M: Int, N: Int, K: Int,
    transA: Bool = false, transB: Bool = false,
    lda: Int? = nil, ldb: Int? = nil, ldc: Int? = nil,
    alpha: Float = 1, beta: Float = 0
) {
    cblas_sgemm(
        CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
        Int32(M), Int32(N), Int32(K), alpha,
        a, Int32(lda ?? (transA ? M : K)),
        b, Int32(ldb ?? (transB ? K : N)), beta,
        c, Int32(ldc ?? N))
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
