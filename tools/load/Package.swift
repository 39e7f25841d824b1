// swift-tools-version: 6.0
// The load generator for `hotline serve` (tools/load/run). A package of its own, never in the main build.
import PackageDescription

let package = Package(
    name: "hotline-load",
    targets: [.executableTarget(name: "hotline-load")],
    swiftLanguageModes: [.v5]
)
