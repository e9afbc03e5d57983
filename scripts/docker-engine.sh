#!/usr/bin/env bash
# Makes sure a Docker engine answers, for the agent container tests: starts Debian's dockerd in the
# background when none runs and we may (root). Never fails: without an engine those tests are
# skipped, and say why.
set -uo pipefail
cd "$(dirname "$0")/.."
if docker info >/dev/null 2>&1; then exit 0; fi
if ! command -v dockerd >/dev/null 2>&1; then
  echo "docker-engine: no dockerd (Debian package docker.io); the agent container tests will be skipped" >&2
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "docker-engine: dockerd needs root; the agent container tests will be skipped" >&2
  exit 0
fi
mkdir -p .build-agent-image
echo "docker-engine: starting dockerd (log: .build-agent-image/dockerd.log)" >&2
nohup dockerd >.build-agent-image/dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 0.5
done
echo "docker-engine: dockerd did not answer within 30 s (see .build-agent-image/dockerd.log); the agent container tests will be skipped" >&2
exit 0
