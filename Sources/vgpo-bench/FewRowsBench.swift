import ArgumentParser
import CBLAS
import NN

/// The sampler's products with few rows through the engine's `matmul` (the few-row kernels for
/// M ≤ 32, on the spinning workers) against OpenBLAS on one thread (its threads would spin
/// against the workers; the engine runs it single-threaded everywhere), at the shapes of the
/// shipped model: the head's adaLN modulations (K 384 → 3·384), its trunk (384 → 384) and the
/// LM's MLP (256 → 1024). B is a linear layer's weight (N, K), as in the forward product, and
/// is then read as (K, N), as in the input gradient dout · W ("untransposed").
struct FewRowsBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "few-rows",
                                                    abstract: "GFLOP/s of the sampler's few-row products against single-threaded OpenBLAS.")
    @Option(help: "Rows, comma-separated.") var rows = "2,16,32"
    @Option(help: "Threads of the engine's kernel (default: all cores).") var threads: Int?

    func run() {
        if let threads { Parallel.workers = threads }   // before the spinning workers start
        let shapes = [(K: 384, N: 1152), (K: 384, N: 384), (K: 256, N: 1024)]
        var result: [String: Any] = ["bench": "few-rows", "threads": Parallel.workers]
        for M in rows.split(separator: ",").compactMap({ Int($0) }) {
            for (K, N) in shapes {
                let a = Slab(count: M * K), b = Slab(count: N * K), c = Slab(count: M * N)
                var rng = RNG(seed: 1)
                rng.fillUniform(a.base, count: M * K, low: -1, high: 1)
                rng.fillUniform(b.base, count: N * K, low: -1, high: 1)
                // 5e8 multiply-adds, ~10-20 ms a measurement: long enough that the helpers are
                // spinning, as they are between a sampler's products.
                let repeats = max(1, 500_000_000 / (M * N * K))
                let flops = 2 * Double(M * N * K * repeats)
                // B as the layer's weight (N, K) for the forward product, and read as (K, N) for
                // the untransposed one (the input gradient dout · W).
                func gflops(_ product: () -> Void) -> Double {
                    flops / medianSeconds(repeats: 5) { for _ in 0..<repeats { product() } } / 1e9
                }
                let measured: [(String, Double)] = [
                    ("engine", gflops { matmul(c.base, a.base, b.base, M: M, N: N, K: K, transB: true) }),
                    ("openblas_1thread", gflops {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(M), Int32(N), Int32(K), 1,
                                    a.base, Int32(K), b.base, Int32(K), 0, c.base, Int32(N))
                    }),
                    ("untransposed_engine", gflops { matmul(c.base, a.base, b.base, M: M, N: N, K: K) }),
                    ("untransposed_openblas_1thread", gflops {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(M), Int32(N), Int32(K), 1,
                                    a.base, Int32(K), b.base, Int32(N), 0, c.base, Int32(N))
                    }),
                ]
                for (label, value) in measured { result["m\(M)_k\(K)_n\(N)_\(label)_gflops"] = rounded(value, 1) }
            }
        }
        printJSONLine(result)
    }
}
