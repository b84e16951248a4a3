import ArgumentParser
import CBLAS
import NN

/// Peak single-precision GEMM throughput on large square matrices, the yardstick that
/// `fraction_of_peak` divides by: the best of several runs (a peak is a maximum), and the
/// better of the engine's own `matmul` and OpenBLAS's threaded sgemm, so the yardstick is
/// never lowered by the engine's way of threading.
func measureSgemmPeak(size n: Int = 2048, repeats: Int = 7) -> Double {
    let a = Slab(count: n * n), b = Slab(count: n * n), c = Slab(count: n * n)
    var rng = RNG(seed: 1)
    rng.fillUniform(a.base, count: n * n, low: -1, high: 1)
    rng.fillUniform(b.base, count: n * n, low: -1, high: 1)
    func best(_ body: () -> Void) -> Double {
        body()
        return (0..<repeats).map { _ in let t0 = now(); body(); return now() - t0 }.min()!
    }
    let engine = best { matmul(c.base, a.base, b.base, M: n, N: n, K: n) }
    let previous = blasThreads()
    setBLASThreads(Parallel.workers)
    let openBLAS = best { cblasThreadedSgemm(c.base, a.base, b.base, n: n) }
    setBLASThreads(previous)
    return 2 * Double(n) * Double(n) * Double(n) / min(engine, openBLAS) / 1e9
}

struct SgemmBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sgemm", abstract: "Peak sgemm GFLOP/s on square matrices.")
    @Option(help: "Matrix size.") var size = 2048

    func run() {
        printJSONLine(["sgemm_peak_gflops": rounded(measureSgemmPeak(size: size), 1), "size": size, "blas_threads": blasThreads(), "blas_core": blasCoreName()])
    }
}

/// C = A·B for n×n matrices in one OpenBLAS call, with whatever threads OpenBLAS has.
func cblasThreadedSgemm(_ c: FloatPointer, _ a: FloatPointer, _ b: FloatPointer, n: Int) {
    let m = Int32(n)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, m, m, 1, a, m, b, m, 0, c, m)
}
