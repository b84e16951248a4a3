import Foundation
@testable import NN
import Testing

@Suite struct FewRowsProductTests {
    /// Products with few rows (the kernels' case: alpha 1, beta 0 or 1; B transposed as a linear
    /// layer's weight, or not as in its input gradient), at edge shapes (odd rows, columns not a
    /// multiple of the tiles, K not a multiple of 8, strided views), equal the reference triple loop.
    @Test(arguments: [(1, 1, 1), (1, 19, 45), (1, 70, 9), (2, 4, 8), (3, 7, 13), (5, 33, 64), (32, 12, 3), (2, 384, 384),
                      (17, 9, 100), (6, 200, 31)])
    func matchesTheReference(M: Int, N: Int, K: Int) {
        var rng = RNG(seed: UInt64(M * 1000 + N * 10 + K))
        for transB in [true, false] {
            let lda = K + 3, ldb = (transB ? K : N) + 1, ldc = N + 2
            let a = Slab(count: M * lda), b = Slab(count: (transB ? N : K) * ldb)
            rng.fillNormal(a.base, count: a.count); rng.fillNormal(b.base, count: b.count)
            for beta: Float in [0, 1] {
                let c1 = Slab(count: M * ldc), c2 = Slab(count: M * ldc)
                rng.fillNormal(c1.base, count: c1.count); c2.copy(from: c1)
                matmul(c1.base, a.base, b.base, M: M, N: N, K: K, transB: transB, lda: lda, ldb: ldb, ldc: ldc, beta: beta)
                matmulReference(c2.base, a.base, b.base, M: M, N: N, K: K, transB: transB, lda: lda, ldb: ldb, ldc: ldc, beta: beta)
                let worst = (0..<c1.count).map { abs(c1.base[$0] - c2.base[$0]) }.max()!
                #expect(worst < 1e-4 * Float(K).squareRoot(), "M \(M) N \(N) K \(K) transB \(transB) beta \(beta): \(worst)")
            }
        }
    }

    /// A row's outputs are the same bits whatever other rows share the product and wherever it
    /// sits among them, in both layouts of B: the sampler's batch composition cannot change a
    /// sequence's samples, nor value guidance's gradients.
    @Test(arguments: [true, false])
    func aRowsOutputDoesNotDependOnTheOtherRows(transB: Bool) {
        let N = 77, K = 203
        var rng = RNG(seed: 4)
        let b = Slab(count: N * K), rows = Slab(count: FewRowsProduct.maxRows * K)
        rng.fillNormal(b.base, count: b.count); rng.fillNormal(rows.base, count: rows.count)
        let alone = Slab(count: N)
        matmul(alone.base, rows.base, b.base, M: 1, N: N, K: K, transB: transB)
        let reference = (0..<N).map { alone.base[$0].bitPattern }
        for M in [2, 3, 5, 8, FewRowsProduct.maxRows] {
            for position in [0, M / 2, M - 1] {
                let a = Slab(count: M * K), c = Slab(count: M * N)
                rng.fillNormal(a.base, count: a.count)
                (a.base + position * K).update(from: rows.base, count: K)
                matmul(c.base, a.base, b.base, M: M, N: N, K: K, transB: transB)
                #expect((0..<N).map { c.base[position * N + $0].bitPattern } == reference, "M \(M), row \(position)")
            }
        }
    }

    /// Jobs from many threads at once: one at a time gets the helpers, the others run their
    /// parts themselves; every job sees each of its parts exactly once.
    @Test func spinningWorkersRunEveryPartOnceUnderContention() {
        let workers = SpinningWorkers.shared
        let parts = workers.helpers + 1
        let failures = Slab(count: 8)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for _ in 0..<2000 {
                let counts = Slab(count: parts)
                workers.run(parts: parts) { p in counts.base[p] += 1 }
                if (0..<parts).contains(where: { counts.base[$0] != 1 }) { failures.base[thread] += 1 }
            }
        }
        #expect((0..<8).allSatisfy { failures.base[$0] == 0 })
    }
}
