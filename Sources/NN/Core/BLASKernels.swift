import CBLAS
import Foundation

/// Makes sure OpenBLAS runs the fastest kernels this CPU supports.
///
/// Debian's OpenBLAS picks its kernels at load time from the CPU model (DYNAMIC_ARCH). Under
/// some hypervisors it does not recognise the model and falls back to the SSE3 "Prescott"
/// kernels: measured here on a KVM Sapphire Rapids, sgemm ran at 36 GFLOP/s instead of 290.
/// The choice can only be made before the library loads, through `OPENBLAS_CORETYPE`, so an
/// executable that finds a generic kernel on a CPU with AVX2/AVX-512 re-executes itself once
/// with the variable set. A value already set by the user or the machine is always respected.
public func selectBLASKernels() {
    let env = ProcessInfo.processInfo.environment
    guard env["OPENBLAS_CORETYPE"] == nil, env[reexecMarker] == nil else { return }
    let current = String(cString: openblas_get_corename()).lowercased()
    guard genericCores.contains(current), let better = bestCoreType() else { return }
    setenv("OPENBLAS_CORETYPE", better, 1)
    setenv(reexecMarker, current, 1)
    let args = CommandLine.arguments
    var cArgs = args.map { strdup($0) } + [nil]
    execv("/proc/self/exe", &cArgs)
    // execv returns only on failure: carry on with the kernels we have.
    for p in cArgs { free(p) }
}

/// The kernel OpenBLAS is using, e.g. "SkylakeX" (benchmarks report it).
public func blasCoreName() -> String { String(cString: openblas_get_corename()) }

private let reexecMarker = "VGPO_BLAS_REEXEC"
private let genericCores: Set<String> = ["prescott", "core2", "nehalem", "sandybridge", "katmai", "coppermine", "northwood", "banias", "atom"]

/// SkylakeX kernels need AVX-512 F/BW/DQ/VL; Haswell kernels need AVX2 and FMA. The kernel's
/// /proc/cpuinfo flags list only what the OS has enabled, so they are safe to trust.
private func bestCoreType() -> String? {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
    let flags = Set(line.split(separator: " ").map(String.init))
    if ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) { return "SkylakeX" }
    if ["avx2", "fma"].allSatisfy(flags.contains) { return "Haswell" }
    return nil
}
