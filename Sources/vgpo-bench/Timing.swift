import Foundation

/// Monotonic wall time in seconds.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Runs `body` `warmup` times unmeasured, then `repeats` times; returns the median seconds.
func medianSeconds(warmup: Int = 1, repeats: Int, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<repeats {
        let t0 = now()
        body()
        times.append(now() - t0)
    }
    return times.sorted()[times.count / 2]
}

/// One JSON line with keys sorted, the benchmark's machine-readable result.
func printJSONLine(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

func rounded(_ x: Double, _ digits: Int = 3) -> Double {
    let p = pow(10, Double(digits))
    return (x * p).rounded() / p
}
