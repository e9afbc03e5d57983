#!/usr/bin/env bash
# Runs every test: Swift unit, in-process route and end-to-end tests (real binaries on loopback),
# then the interoperability tests against independent Python peers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

echo "== swift build"
swift build --build-tests
# Two runs: the end-to-end tests wait synchronously for real processes (tmux, servers), which
# would hold the cooperative thread pool that the in-process tests' timers need.
echo "== swift test (unit and in-process)"
swift test --skip-build --skip EndToEndTests
echo "== swift test (end-to-end: real binaries on loopback)"
swift test --skip-build --filter EndToEndTests
echo "== fuzz corpus replay, then libFuzzer for 15 s (scripts/fuzz.sh for longer runs)"
.build/debug/conduit-fuzz fuzz/corpus
scripts/fuzz.sh 15
echo "== interoperability (Python http-message-signatures, mcp; the real Claude Code; OpenAPI; compose; the agent container)"
scripts/docker-engine.sh
.venv/bin/python -m pytest -q -rs tests/interop
