#!/usr/bin/env bash
# Installs what Conduit's demo and tests need on a fresh Debian machine with the Swift toolchain:
# Debian packages (only those missing) and the Python test peers in a local venv (.venv).
# Usage: scripts/bootstrap.sh [--no-venv | --bench]   (--bench: only what bench/run.sh needs: wrk)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--bench" ]; then
  if ! command -v wrk >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
    echo "bootstrap: installing wrk" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
  fi
  exit 0
fi

# Debian packages: SQLite and ncursesw headers (the build links both), tmux (drives ccc-queue in the
# tests), faketime (steps the broker's wall clock in a test), Python (for the independent test
# peers), curl (for the README's health check), git and make (supervised runs work in git worktrees;
# the README's run walk-through checks with make).
needed=()
for package in libsqlite3-dev libncurses-dev tmux faketime; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || needed+=("$package")
done
command -v python3 >/dev/null 2>&1 || needed+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || needed+=(python3-venv)
command -v curl >/dev/null 2>&1 || needed+=(curl)
command -v git >/dev/null 2>&1 || needed+=(git)
command -v make >/dev/null 2>&1 || needed+=(make)
if [ ${#needed[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "bootstrap: installing ${needed[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${needed[@]}" >/dev/null
fi

# For the tests only: a Docker engine and compose (Debian's docker.io, docker-compose) and
# debootstrap, to build and run the agent image offline (tests/interop/test_agent_container.py).
if [ "${1:-}" != "--no-venv" ]; then
  docker_needed=()
  command -v dockerd >/dev/null 2>&1 || docker_needed+=(docker.io)
  command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || docker_needed+=(docker-compose)
  command -v debootstrap >/dev/null 2>&1 || docker_needed+=(debootstrap)
  if [ ${#docker_needed[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
    echo "bootstrap: installing ${docker_needed[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${docker_needed[@]}" >/dev/null \
      || echo "bootstrap: could not install ${docker_needed[*]}; the agent container tests will be skipped" >&2
  fi
fi

if [ "${1:-}" != "--no-venv" ]; then
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  stamp=.venv/.requirements-installed
  if [ ! -f "$stamp" ] || [ tests/interop/requirements.txt -nt "$stamp" ]; then
    .venv/bin/pip install -q --disable-pip-version-check -r tests/interop/requirements.txt
    touch "$stamp"
  fi
fi
