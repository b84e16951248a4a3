// swift-tools-version:6.0
// The VGPO text-to-speech server and training engine (see README.md and DESIGN.md §2).
// Dependencies point one way: executables -> Serving/Training -> ARDM -> NN, Audio, Text -> C libraries.
import PackageDescription

// Numerics are checked by tests in debug builds; release builds drop bounds checks in hot loops.
let fastMath: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

// NN's few-row kernel is written for 8-lane fused multiply-add (AVX2 + FMA, x86-64 since 2013);
// at the default x86-64 baseline Swift lowers each lane's multiply-add to a libm call.
#if arch(x86_64)
let vectorISA: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let vectorISA: [SwiftSetting] = []
#endif

let package = Package(
    name: "vgpo",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vgpo-server", targets: ["vgpo-server"]),
        .executable(name: "vgpo-train", targets: ["vgpo-train"]),
        .executable(name: "vgpo-bench", targets: ["vgpo-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries (Debian packages listed in README.md).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas"),
        .systemLibrary(name: "CMicroHTTPD", path: "Sources/CMicroHTTPD", pkgConfig: "libmicrohttpd"),
        .systemLibrary(name: "CSndFile", path: "Sources/CSndFile", pkgConfig: "sndfile"),
        .systemLibrary(name: "CSampleRate", path: "Sources/CSampleRate", pkgConfig: "samplerate"),
        .systemLibrary(name: "CEspeakNG", path: "Sources/CEspeakNG", pkgConfig: "espeak-ng"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3"),
        .systemLibrary(name: "CFFTW", path: "Sources/CFFTW", pkgConfig: "fftw3f"),

        // Libraries.
        .target(name: "NN", dependencies: ["CBLAS"], swiftSettings: fastMath + vectorISA),
        .target(name: "Audio", dependencies: ["CSndFile", "CSampleRate", "CFFTW"], swiftSettings: fastMath),
        .target(name: "Text", dependencies: ["CEspeakNG"]),
        .target(name: "ARDM", dependencies: ["NN", "Audio", "Text"], swiftSettings: fastMath),
        .target(name: "Training", dependencies: ["ARDM", "Corpus", "Rewards", "Guidance", "NN", "Audio", "Text"], swiftSettings: fastMath),
        .target(name: "Serving", dependencies: ["CMicroHTTPD", "CSQLite", "ARDM", "Guidance", "Rewards", "Audio", "Text", "NN"]),
        .target(name: "Corpus", dependencies: ["Audio", "Text", "NN", "CEspeakNG"]),
        .target(name: "Rewards", dependencies: ["NN", "Audio", "Text"], swiftSettings: fastMath),
        .target(name: "Guidance", dependencies: ["ARDM", "Rewards", "NN", "Audio"], swiftSettings: fastMath),

        // Executables.
        .executableTarget(name: "vgpo-server", dependencies: [
            "Serving", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "vgpo-train", dependencies: [
            "NN", "Audio", "Text", "Corpus", "Rewards", "ARDM", "Guidance", "Training", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "vgpo-bench", dependencies: [
            "NN", "CBLAS", "Audio", "ARDM", "Guidance", "Training", "Rewards", "Serving", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: fastMath),

        // Tests mirror the modules.
        .target(name: "GradientChecking", dependencies: ["NN"], path: "Tests/GradientChecking"),
        .testTarget(name: "NNTests", dependencies: ["NN", "GradientChecking"], resources: [.copy("Fixtures")]),
        .testTarget(name: "AudioTests", dependencies: ["Audio"]),
        .testTarget(name: "TextTests", dependencies: ["Text"]),
        .testTarget(name: "ServingTests", dependencies: ["Serving", "ARDM", "Guidance", "Rewards", "Audio", "Text", "NN"]),
        .testTarget(name: "ARDMTests", dependencies: ["ARDM", "GradientChecking"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "ARDM", "Corpus", "Rewards", "NN", "Audio"]),
        .testTarget(name: "CorpusTests", dependencies: ["Corpus"]),
        .testTarget(name: "GuidanceTests", dependencies: ["Guidance", "ARDM", "NN"]),
        .testTarget(name: "RewardsTests", dependencies: ["Rewards", "NN", "Audio", "Text", "GradientChecking"]),
    ],
    swiftLanguageModes: [.v5]
)
