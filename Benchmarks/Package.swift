// swift-tools-version:6.2
// Benchmarks for kyozon, in a package of their own so that the product's build and CI do
// not pay for the benchmark framework. Run from this folder: `swift package benchmark`.
import Foundation
import PackageDescription

// A path dependency is identified by its folder's name, which depends on where kyozon was cloned.
let kyozon = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent
    .lowercased()

let package = Package(
    name: "kyozon-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Collect",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "KyozonCollector", package: kyozon),
                .product(name: "KyozonStore", package: kyozon),
            ],
            path: "Benchmarks/Collect",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Compose",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "KyozonComposer", package: kyozon),
            ],
            path: "Benchmarks/Compose",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Import",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "KyozonSubscribers", package: kyozon),
                .product(name: "KyozonStore", package: kyozon),
            ],
            path: "Benchmarks/Import",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),

    ]
)
