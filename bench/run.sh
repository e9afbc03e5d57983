#!/usr/bin/env bash
# Benchmark: signed decisions vs /healthz on a release build of ccc-server (loopback only).
# Usage: bench/run.sh [CONNECTIONS] [SECONDS]     e.g. bench/run.sh 8 10
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-8}
seconds=${2:-10}
swift build -c release --product ccc-server >/dev/null
swift build -c release --product ccc-keygen >/dev/null
swift build -c release --product conduit-bench >/dev/null
bin=$(swift build -c release --show-bin-path)

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/actions" "$work/data/workspace" "$work/data/claude-home"
printf 'description: Records the decision and nothing else.\npolicy: auto-accept\n' > "$work/actions/noop.yaml"
(cd "$work" && "$bin/ccc-keygen" --create agent >/dev/null)

(cd "$work" && exec "$bin/ccc-server" --secrets secrets.json --actions actions --port 0 --log-level warning > server.log 2>&1) &
server=$!
for _ in $(seq 1 300); do
  url=$(grep -o 'http://[0-9.:]*' "$work/server.log" 2>/dev/null | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.05
done
[ -n "$url" ] || { cat "$work/server.log"; exit 1; }
echo "ccc-server (release) at $url; $(nproc) cores"
"$bin/conduit-bench" --server "$url" --secrets "$work/secrets.json" --user agent --action noop \
  --connections "$connections" --duration "$seconds"
