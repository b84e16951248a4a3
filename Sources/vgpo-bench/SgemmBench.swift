import ArgumentParser
import NN

/// Peak single-precision GEMM throughput of this machine's OpenBLAS on large square matrices:
/// the yardstick that `fraction_of_peak` divides by.
func measureSgemmPeak(size n: Int = 2048, repeats: Int = 5) -> Double {
    let a = Slab(count: n * n), b = Slab(count: n * n), c = Slab(count: n * n)
    var rng = RNG(seed: 1)
    rng.fillNormal(a.base, count: n * n)
    rng.fillNormal(b.base, count: n * n)
    let seconds = medianSeconds(repeats: repeats) { matmul(c.base, a.base, b.base, M: n, N: n, K: n) }
    return 2 * Double(n) * Double(n) * Double(n) / seconds / 1e9
}

struct SgemmBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sgemm", abstract: "Peak sgemm GFLOP/s on square matrices.")
    @Option(help: "Matrix size.") var size = 2048

    func run() {
        printJSONLine(["sgemm_peak_gflops": rounded(measureSgemmPeak(size: size), 1), "size": size, "blas_threads": blasThreads()])
    }
}
