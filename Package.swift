// swift-tools-version: 6.2
import PackageDescription

/// Every target is built the same strict way.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "conduit",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ccc-server", targets: ["ccc-server"]),
        .executable(name: "ccc-client", targets: ["ccc-client"]),
        .executable(name: "ccc-mcp", targets: ["ccc-mcp"]),
        .executable(name: "ccc-keygen", targets: ["ccc-keygen"]),
        .executable(name: "ccc-queue", targets: ["ccc-queue"]),
        .executable(name: "ccc-tether", targets: ["ccc-tether"]),
        .executable(name: "conduit-bench", targets: ["conduit-bench"]),
        .library(name: "ConduitCore", targets: ["ConduitCore"]),
        .library(name: "ConduitStore", targets: ["ConduitStore"]),
        .library(name: "ConduitServer", targets: ["ConduitServer"]),
        .library(name: "ConduitClient", targets: ["ConduitClient"]),
        .library(name: "ConduitTUI", targets: ["ConduitTUI"]),
        .library(name: "ConduitAgent", targets: ["ConduitAgent"]),
        .library(name: "ConduitMCP", targets: ["ConduitMCP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-structured-headers.git", from: "1.7.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", from: "0.12.1"),
    ],
    targets: [
        // The system calls Swift cannot make itself (openat2 is reached through syscall(2), a C variadic;
        // SCM_RIGHTS needs the cmsg macros).
        .target(name: "CConduitSystem"),
        // Runs each action handler tied to the broker: the handler may start only once its start is
        // recorded, and ends when the broker ends (C: it sits between fork and exec of every handler).
        .executableTarget(name: "ccc-tether", dependencies: ["CConduitSystem"]),
        // Pure domain: secrets, RFC 9421 signatures, action catalog, policy, path mapping.
        .target(
            name: "ConduitCore",
            dependencies: [
                "CConduitSystem",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "RawStructuredFieldValues", package: "swift-http-structured-headers"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // Durable state in SQLite (GRDB, WAL): records, events, grants; group-committed writes.
        .target(
            name: "ConduitStore",
            dependencies: [
                "ConduitCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // HTTP broker: signature middleware, controllers, handler execution.
        .target(
            name: "ConduitServer",
            dependencies: [
                "CConduitSystem",
                "ConduitCore",
                "ConduitStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            resources: [.copy("Resources/openapi.yaml")],
            swiftSettings: swiftSettings
        ),
        // Signing HTTP client shared by ccc-client (and later ccc-queue and the MCP/hook adapters).
        .target(
            name: "ConduitClient",
            dependencies: [
                "ConduitCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // What the client programs share on the command line: --secrets, --user, --server.
        .target(
            name: "ConduitCommandLine",
            dependencies: [
                "ConduitClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        // Claude Code adapters without MCP: the PreToolUse hook, the permission prompt, actions as
        // tool descriptions, outcomes. No MCP SDK here: it links FoundationNetworking (libcurl and
        // its thirty libraries), which `ccc-client hook` must not load for every tool call.
        .target(
            name: "ConduitAgent",
            dependencies: [
                "ConduitCore",
                "ConduitClient",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The MCP server (`ccc-client mcp`): the broker's actions as MCP tools on stdio.
        .target(
            name: "ConduitMCP",
            dependencies: [
                "ConduitAgent",
                "ConduitCore",
                "ConduitClient",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // ncursesw, wrapped for Swift (Debian: libncurses-dev).
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),
        // The queue manager: a pure view model plus a thin curses screen.
        .target(
            name: "ConduitTUI",
            dependencies: ["ConduitCore", "ConduitClient", "CNcursesw"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ccc-queue",
            dependencies: [
                "ConduitTUI",
                "ConduitClient",
                "ConduitCommandLine",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ccc-server",
            dependencies: [
                "ConduitServer",
                "ConduitStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ccc-client",
            dependencies: [
                "ConduitClient",
                "ConduitCommandLine",
                "ConduitAgent",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // `ccc-client mcp` runs it (see ccc-client's MCPCommand for why it is a program of its own).
        .executableTarget(
            name: "ccc-mcp",
            dependencies: [
                "ConduitMCP",
                "ConduitClient",
                "ConduitCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ccc-keygen",
            dependencies: [
                "ConduitCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "conduit-bench",
            dependencies: [
                "ConduitClient",
                "ConduitStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "bench/conduit-bench",
            swiftSettings: swiftSettings
        ),
        // The fuzz target for the parsers facing the network (scripts/fuzz.sh builds it with
        // -sanitize=fuzzer; a plain build replays the committed corpus, as the test suite does).
        .executableTarget(
            name: "conduit-fuzz",
            dependencies: ["ConduitCore"],
            path: "fuzz/conduit-fuzz",
            swiftSettings: swiftSettings
        ),
        // What the tests share, as Hummingbird ships HummingbirdTesting: temporary directories, the
        // signed in-process client and broker fixture, and the one launcher of real processes.
        .target(
            name: "ConduitTestSupport",
            dependencies: [
                "ConduitCore",
                "ConduitServer",
                "ConduitStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/ConduitTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConduitCoreTests",
            dependencies: ["ConduitCore", "ConduitTestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConduitStoreTests",
            dependencies: ["ConduitStore", "ConduitTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConduitAgentTests",
            dependencies: ["ConduitAgent", "ConduitClient", "ConduitCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConduitTUITests",
            dependencies: ["ConduitTUI", "ConduitTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConduitServerTests",
            dependencies: [
                "ConduitServer",
                "ConduitTestSupport",
                .product(name: "Yams", package: "Yams"),
                "ConduitStore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "ConduitCore", "ConduitClient", "ConduitTUI", "ConduitTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
