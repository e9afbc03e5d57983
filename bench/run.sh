#!/usr/bin/env bash
# Benchmark on a release build of ccc-server (loopback only).
# Usage: bench/run.sh [CONNECTIONS] [SECONDS]     e.g. bench/run.sh 8 10
# Environment:
#   WORKLOAD  all (default): signed decisions vs /healthz, then the queue figures (approve → waiting
#             client latency over DECISIONS rounds, default 200; GET /v1/queue with PENDING requests,
#             default 10000). Also: both | healthz | signed | unsigned-post | queue;
#             audit: signed decisions with the audit log, then without it (same run);
#             audit-verify: `audit verify` over AUDIT_ROWS rows (default 100000);
#             hook: `ccc-client hook` wall time per tool call as Claude Code pays it (a new process
#             each time, HOOK_RUNS runs, default 200) for an auto-accepted Read and a denied rm -rf.
#             fanout: SUBSCRIBERS (default 500) /v1/events streams stay open (8 per user, in a
#             second process at nice 19) while signed decisions run; decision and /healthz
#             latency, and whether every subscriber saw every event in order.
#             wrk: issue 16's measurement — wrk on /healthz, then wrk replaying requests signed
#             ahead (bench/signed.lua, PRESIGNED of them, default 20,000 per second of run), with
#             the ratio of the two.
#             store: the durable store alone, in process (1, CONNECTIONS and 64 tasks saving
#             decision-only records): saves/s and CPU per save.
#             targets: every target of issue 16 in one run (wrk ratio and p99; approve → waiting
#             client p99; the first /v1/queue page with PENDING pending and the server's RSS;
#             ccc-client hook p50 against curl's; audit verify over AUDIT_ROWS), each with pass or
#             falls short.
#   (bench/handler_teardown.py measures handlers killed with the broker; see its header.)
#   LOG_LEVEL server log level, default warning (the per-request info line is measured separately,
#             see docs/DESIGN.md).
#
# The release builds use cross-module optimisation, as a production build should: without it the
# structured-field parser of swift-http-structured-headers stays unspecialised and RFC 9421
# verification costs about four times as much. It builds in .build-cmo (first time: ~10 min).
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-8}
seconds=${2:-10}
workload=${WORKLOAD:-all}
build=(swift build -c release --scratch-path .build-cmo -Xswiftc -cross-module-optimization)
for product in ccc-server ccc-tether ccc-keygen conduit-bench; do
  "${build[@]}" --product "$product" >/dev/null
done
bin=$("${build[@]}" --show-bin-path)
# ccc-client as it ships (docker/agent/Dockerfile): the Swift standard library and Foundation linked
# in, so a hook's start-up maps six libraries instead of fifty (.build-static; first time ~8 min).
client_build=(swift build -c release --scratch-path .build-static --static-swift-stdlib -Xswiftc -cross-module-optimization)
"${client_build[@]}" --product ccc-client >/dev/null
client="$("${client_build[@]}" --show-bin-path)/ccc-client"

work=$(mktemp -d)
server=
stop_server() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=; fi
}
trap 'stop_server; rm -rf "$work"' EXIT
mkdir -p "$work/actions" "$work/data/workspace" "$work/data/claude-home"
printf 'description: Records the decision and nothing else.\npolicy: auto-accept\n' > "$work/actions/noop.yaml"
printf 'description: Waits for a person, then records the decision.\npolicy: queue\n' > "$work/actions/ask.yaml"
cp actions/tool-use.yaml "$work/actions/"
(cd "$work" && "$bin/ccc-keygen" --create agent,user >/dev/null && "$bin/ccc-keygen" --grant user:agent >/dev/null)

# Starts ccc-server with extra arguments on a fresh database; sets $url.
start_server() {
  stop_server
  rm -f "$work"/conduit.sqlite* "$work/server.log"
  (cd "$work" && exec "$bin/ccc-server" --secrets secrets.json --actions actions --port 0 --db conduit.sqlite \
    --log-level "${LOG_LEVEL:-warning}" "$@" > server.log 2>&1) &
  server=$!
  url=
  for _ in $(seq 1 300); do
    url=$(grep -o 'http://[0-9.:]*' "$work/server.log" 2>/dev/null | head -1 || true)
    [ -n "$url" ] && break
    sleep 0.05
  done
  [ -n "$url" ] || { cat "$work/server.log"; exit 1; }
}

bench() {
  "$bin/conduit-bench" --server "$url" --secrets "$work/secrets.json" --user agent --action noop \
    --connections "$connections" --duration "$seconds" --decisions "${DECISIONS:-200}" --pending "${PENDING:-10000}" "$@"
}

# wrk on /healthz, then wrk replaying requests signed ahead (each with its own nonce;
# bench/signed.lua), same server, same run; prints both and the ratio (issue 16's measurement).
wrk_figures() {
  threads=${THREADS:-2}
  echo "ccc-server (release) at $url; $(nproc) cores; wrk -t$threads -c$connections -d${seconds}s (--max-age 600: the requests are signed ahead)"
  "$bin/conduit-bench" --server "$url" --secrets "$work/secrets.json" --user agent --action noop --workload presign \
    --count "${PRESIGNED:-$((seconds * 20000))}" --output "$work/presigned.txt"
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$url/healthz" > "$work/healthz.txt"
  CONDUIT_PRESIGNED="$work/presigned.txt" wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency \
    -s bench/signed.lua "$url" -- "$threads" > "$work/signed.txt"
  for name in healthz signed; do
    awk -v name="$name" '/Requests\/sec/ { rps = $2 } / 50%/ { p50 = $2 } / 99%/ { p99 = $2 } /Non-2xx/ { bad = $5 }
      END { printf "%-8s %10.0f req/s   p50 %-9s p99 %-9s non-2xx %s\n", name, rps, p50, p99, bad + 0 }' "$work/$name.txt"
  done
  awk '/Requests\/sec/ { r[++n] = $2 } END { printf "ratio signed / healthz: %.2f (target >= 0.5)\n", r[2] / r[1] }' \
    "$work/healthz.txt" "$work/signed.txt"
}

# Wall time of a command reading INPUT, HOOK_RUNS times: prints "p50 p90 p99 max" in ms.
wall_times() {
  local input=$1 times=() start
  shift
  for _ in $(seq 1 "${HOOK_RUNS:-200}"); do
    start=$(date +%s%N)
    "$@" < "$input" > /dev/null
    times+=($(( ($(date +%s%N) - start) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 } END {
    printf "%.1f %.1f %.1f %.1f\n", t[int(NR*0.5)]/1000, t[int(NR*0.9)]/1000, t[int(NR*0.99)]/1000, t[NR]/1000 }'
}

# `ccc-client hook` for an auto-accepted Read, a new process per call as Claude Code runs it,
# against `curl -s /healthz` timed the same way in the same run.
hook_and_curl() {
  echo "ccc-server (release) at $url; ccc-client hook and curl, ${HOOK_RUNS:-200} runs each"
  read -r hook50 hook90 hook99 hookmax < <(wall_times tests/interop/payloads/read.json \
    "$client" hook --secrets "$work/secrets.json" --user agent --server "$url")
  read -r curl50 curl90 curl99 curlmax < <(wall_times /dev/null curl -s "$url/healthz")
  printf 'hook (Read)   p50 %s ms  p90 %s ms  p99 %s ms  max %s ms\n' "$hook50" "$hook90" "$hook99" "$hookmax"
  printf 'curl /healthz p50 %s ms  p90 %s ms  p99 %s ms  max %s ms\n' "$curl50" "$curl90" "$curl99" "$curlmax"
  awk -v h="$hook50" -v c="$curl50" 'BEGIN { printf "target 4  ccc-client hook p50 / curl p50: %.2f (%s / %s ms; bound <= 2) — %s\n", h / c, h, c, (h / c <= 2 ? "pass" : "falls short") }'
}

audit_verify() {
  "$bin/conduit-bench" --workload audit-verify --db "$work/audit.sqlite" --audit-rows "${AUDIT_ROWS:-100000}"
  /usr/bin/time -f "ccc-server audit verify: %e s, %M KB max resident" "$bin/ccc-server" audit verify --db "$work/audit.sqlite" 2>&1
}

case "$workload" in
  audit)
    start_server
    echo "ccc-server (release) at $url; $(nproc) cores; WITH the audit log"
    bench --workload signed
    start_server --benchmark-without-audit
    echo "ccc-server (release) at $url; WITHOUT the audit log"
    bench --workload signed
    ;;
  fanout)
    # The subscribers run in a process of their own at the lowest priority, so what is measured is
    # whether the broker keeps answering requests while it fans out (not whether two busy clients
    # share two cores).
    subscribers=${SUBSCRIBERS:-500}
    users=$(( (subscribers + 7) / 8 ))
    for i in $(seq 0 $((users - 1))); do
      (cd "$work" && "$bin/ccc-keygen" --add "sub$i" >/dev/null && "$bin/ccc-keygen" --grant "sub$i:agent" >/dev/null)
    done
    start_server
    echo "ccc-server (release) at $url; $(nproc) cores; $subscribers event-stream subscribers, $connections connections deciding"
    nice -n 19 "$bin/conduit-bench" --server "$url" --secrets "$work/secrets.json" --workload subscribe \
      --subscribers "$subscribers" --duration "$((seconds + 2))" > "$work/subscribers.log" 2>&1 &
    watcher=$!
    for _ in $(seq 1 1200); do grep -q "streams open" "$work/subscribers.log" && break; sleep 0.05; done
    grep "streams open" "$work/subscribers.log"
    before=$(awk '{print $14 + $15}' "/proc/$server/stat")
    bench --workload decide | grep -v "^conduit-bench:"
    after=$(awk '{print $14 + $15}' "/proc/$server/stat")
    awk -v ticks="$((after - before))" -v hz="$(getconf CLK_TCK)" -v s="$seconds" \
      'BEGIN { printf "ccc-server CPU while deciding: %.1f s in %d s\n", ticks / hz, s }'
    wait "$watcher" || true
    grep -v "streams open" "$work/subscribers.log"
    echo "(every subscriber should have the same count and one last id: none missed an event)"
    ;;
  wrk)
    scripts/bootstrap.sh --bench
    start_server --max-age 600
    wrk_figures
    ;;
  targets)
    # Issue 16's five targets in one run, each with pass / falls short.
    scripts/bootstrap.sh --bench
    start_server --max-age 600
    wrk_figures
    awk -v c="$connections" 'FNR == 1 { f++ } /Requests\/sec/ { r[f] = $2 } / 99%/ { p[f] = $2 }
      END { ratio = r[2] / r[1]; p99 = p[2]; ms = p99 * 1000
            if (p99 ~ /us$/) ms = p99 / 1000
            if (p99 ~ /ms$/) ms = p99 + 0
            printf "target 1  signed auto-accept / healthz throughput: %.2f (bound >= 0.5) — %s\n", ratio, (ratio >= 0.5 ? "pass" : "falls short")
            printf "target 1  signed auto-accept p99 at %d connections: %.2f ms (bound < 5 ms) — %s\n", c, ms, (ms < 5 ? "pass" : "falls short") }' \
      "$work/healthz.txt" "$work/signed.txt" | tee "$work/targets.txt"
    start_server
    bench --workload queue | tee -a "$work/queue.txt"
    grep '^target' "$work/queue.txt" >> "$work/targets.txt"
    rss=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$server/status")
    printf 'target 3  server RSS with %s pending: %d MiB (bound < 150 MiB) — %s\n' "${PENDING:-10000}" "$rss" \
      "$([ "$rss" -lt 150 ] && echo pass || echo 'falls short')" | tee -a "$work/targets.txt"
    start_server
    hook_and_curl | tee -a "$work/hook.txt"
    grep '^target' "$work/hook.txt" >> "$work/targets.txt"
    audit_verify | tee "$work/verify.txt"
    awk '/audit verify:/ { s = $4 } END { printf "target 5  ccc-server audit verify, %s rows: %.2f s (bound <= 2.5 s) — %s\n", ENVIRON["AUDIT_ROWS"] ? ENVIRON["AUDIT_ROWS"] : 100000, s, (s <= 2.5 ? "pass" : "falls short") }' \
      "$work/verify.txt" >> "$work/targets.txt"
    echo "── issue 16 targets ──"
    cat "$work/targets.txt"
    ;;
  audit-verify)
    audit_verify
    ;;
  store)
    # The durable store alone, in process: CONNECTIONS tasks saving decision-only records.
    for workers in 1 "$connections" 64; do
      "$bin/conduit-bench" --workload store --db "$work/store.sqlite" --connections "$workers" --duration "$seconds"
    done
    ;;
  hook)
    start_server
    echo "ccc-server (release) at $url; $(nproc) cores; ccc-client hook, ${HOOK_RUNS:-200} runs per payload"
    for payload in read bash-rm-rf; do
      read -r p50 p90 p99 max < <(wall_times "tests/interop/payloads/$payload.json" \
        "$client" hook --secrets "$work/secrets.json" --user agent --server "$url")
      printf '%-11s p50 %s ms  p90 %s ms  p99 %s ms  max %s ms\n' "$payload" "$p50" "$p90" "$p99" "$max"
    done
    ;;
  *)
    start_server
    echo "ccc-server (release) at $url; $(nproc) cores"
    bench --workload "$workload"
    ;;
esac
