// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "hotline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hotline", targets: ["hotline"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // The rules: pure value types, no I/O, no package dependencies.
        .target(name: "HotlineCore"),
        // Reads and validates model files into core types.
        .target(
            name: "HotlineModel",
            dependencies: ["HotlineCore", .product(name: "Yams", package: "Yams")]
        ),
        // The event engine: event queue, seeded random streams, samplers. Standard library only.
        .target(name: "HotlineEngine"),
        // The call-centre simulation: the model on the engine, driven by the routing core.
        .target(name: "HotlineSimulation", dependencies: ["HotlineCore", "HotlineEngine"]),
        // Renders summaries: tables, CSV, HTML with inline SVG.
        .target(name: "HotlineReports", dependencies: ["HotlineSimulation", "HotlineCore", "HotlineStaffing"]),
        // The case store: cases, their audit log and timers in SQLite (WAL, durable commits).
        .target(
            name: "HotlineStore",
            dependencies: ["HotlineCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The live backend: the line protocol, call sessions, the ACD, and the transports.
        .target(
            name: "HotlineBackend",
            dependencies: [
                "HotlineCore", "HotlineStore", "HotlineEngine",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `hotline drive`: a simulated day played through a running server, checked step by step.
        .target(
            name: "HotlineDrive",
            dependencies: [
                "HotlineCore", "HotlineSimulation", "HotlineBackend",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Voice prompts on the sound card: WAV files played through ALSA, loaded at run time (dlopen), so
        // that hotline builds without libasound2-dev and prints the prompts' text where ALSA is missing.
        .target(name: "HotlineAudio"),
        // Erlang B, C and A, and staffing plans: requirements per interval, shifts, rota, duty lines.
        .target(name: "HotlineStaffing", dependencies: ["HotlineCore", "HotlineSimulation"]),
        // The command-line tool: thin, parses arguments and calls the modules.
        .executableTarget(
            name: "hotline",
            dependencies: [
                "HotlineCore", "HotlineModel", "HotlineSimulation", "HotlineStaffing", "HotlineReports",
                "HotlineStore", "HotlineBackend", "HotlineDrive", "HotlineAudio",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Shared test fixtures: small networks, the 2026 calendar.
        .target(name: "HotlineTesting", dependencies: ["HotlineCore"]),
        .testTarget(name: "HotlineEngineTests", dependencies: ["HotlineEngine"]),
        .testTarget(
            name: "HotlineSimulationTests",
            dependencies: [
                "HotlineSimulation", "HotlineCore", "HotlineEngine", "HotlineStaffing", "HotlineModel",
                "HotlineTesting",
            ]
        ),
        .testTarget(
            name: "HotlineReportsTests",
            dependencies: ["HotlineReports", "HotlineSimulation", "HotlineModel", "HotlineStaffing", "HotlineCore"]),
        .testTarget(
            name: "HotlineStaffingTests",
            dependencies: ["HotlineStaffing", "HotlineCore", "HotlineSimulation", "HotlineModel", "HotlineTesting"]
        ),
        .testTarget(name: "HotlineStoreTests", dependencies: ["HotlineStore", "HotlineCore", "HotlineTesting"]),
        .testTarget(
            name: "HotlineBackendTests",
            dependencies: ["HotlineBackend", "HotlineStore", "HotlineCore", "HotlineModel", "HotlineSimulation"]
        ),
        .testTarget(name: "HotlineCoreTests", dependencies: ["HotlineCore", "HotlineTesting"]),
        .testTarget(name: "HotlineModelTests", dependencies: ["HotlineCore", "HotlineModel", "HotlineTesting"]),
        .testTarget(name: "HotlineAudioTests", dependencies: ["HotlineAudio"]),
        .testTarget(name: "hotlineTests", dependencies: ["hotline", "HotlineCore", "HotlineModel"]),
        // `hotline serve` as a process: real sockets, kill -9, fuzzing stdio.
        .testTarget(name: "ServeTests", dependencies: ["hotline"], exclude: ["AGITranscripts"]),
    ]
)

for target in package.targets where target.type != .plugin {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .enableUpcomingFeature("ExistentialAny"),
            .enableUpcomingFeature("InternalImportsByDefault"),
            .enableUpcomingFeature("MemberImportVisibility"),
        ]
}
