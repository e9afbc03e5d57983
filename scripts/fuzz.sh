#!/usr/bin/env bash
# Fuzzes the parsers that face the network (signature fields, request bodies, path parameters)
# with libFuzzer: `swift build -sanitize=fuzzer` into .build-fuzz/, then runs for SECONDS.
#
#   scripts/fuzz.sh [SECONDS] [--keep]
#
# SECONDS defaults to 60 (the test suite runs it for a few seconds). New inputs go to a scratch
# directory; with --keep they are merged into the committed corpus (fuzz/corpus) afterwards.
# A crash leaves its input as ./crash-<sha1> (replay: .build-fuzz/debug/conduit-fuzz crash-…) and
# exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
keep="${2:-}"

log="$(mktemp)"
if ! swift build --scratch-path .build-fuzz --product conduit-fuzz \
  -Xswiftc -sanitize=fuzzer -Xswiftc -DCONDUIT_FUZZING >"$log" 2>&1; then
  grep -E "error" "$log" | head -n 20 >&2
  rm -f "$log"
  echo "fuzz.sh: the fuzz build failed" >&2
  exit 1
fi
rm -f "$log"
binary=.build-fuzz/debug/conduit-fuzz

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# Swift's own crash reporter would take the signal before libFuzzer could save the input.
SWIFT_BACKTRACE=enable=no "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  "$scratch" fuzz/corpus >"$scratch.log" 2>&1 || status=$?
grep -E "^(Done|stat::|==|SUMMARY)|ERROR|Fatal|crash" "$scratch.log" | head -n 40 || true
rm -f "$scratch.log"
if [ "${status:-0}" -ne 0 ]; then
  echo "fuzz.sh: the fuzzer found a crash (exit $status)" >&2
  exit "$status"
fi
if [ "$keep" = "--keep" ]; then
  "$binary" -merge=1 fuzz/corpus "$scratch" >/dev/null 2>&1
  echo "fuzz.sh: corpus merged into fuzz/corpus ($(ls fuzz/corpus | wc -l) inputs)"
fi
echo "fuzz.sh: ${seconds} s, no crash"
