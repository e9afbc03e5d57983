#!/usr/bin/env bash
# Builds the agent image `conduit-agent` (Claude Code + ccc-client and the ccc-mcp it runs for
# `ccc-client mcp`, see README "Supervising Claude Code").
#   scripts/agent-image.sh             docker/agent/Dockerfile: public base images and npm
#   scripts/agent-image.sh --offline   only what a machine without registry access reaches: a
#                                      debootstrap'd Debian base, ccc-client built here (release,
#                                      Swift standard library linked in), Claude Code from the
#                                      pinned PyPI wheel (tests/interop/requirements.txt)
#   … --offline --client PATH          that ccc-client (and the ccc-mcp beside it) instead of a
#                                      release build (the tests pass the debug build they already
#                                      made; the Swift runtime libraries they link are copied into
#                                      the image with them)
# Environment: CONDUIT_UID (the container user's uid, default 1000), CONDUIT_MIRROR (the Debian
# mirror; default: this machine's apt source, else deb.debian.org).
set -euo pipefail
cd "$(dirname "$0")/.."
uid="${CONDUIT_UID:-1000}"

if [ "${1:-}" != "--offline" ]; then
  exec docker build -f docker/agent/Dockerfile --build-arg "CONDUIT_UID=$uid" -t conduit-agent .
fi
client=
if [ "${2:-}" = "--client" ]; then
  client="${3:?--client needs the path of a ccc-client binary}"
fi

work=.build-agent-image   # base rootfs, build context, wheel
swiftwork=.build-agent   # the release ccc-client and ccc-mcp
mkdir -p "$work"

# 1. The base image: Debian bookworm from the mirror, imported once.
if ! docker image inspect conduit-base:bookworm >/dev/null 2>&1; then
  mirror="${CONDUIT_MIRROR:-$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)}"
  mirror="${mirror:-http://deb.debian.org/debian}"
  echo "agent-image: debootstrap bookworm from $mirror" >&2
  rm -rf "$work/rootfs"
  debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  tar -C "$work/rootfs" -c . | docker import - conduit-base:bookworm >/dev/null
  rm -rf "$work/rootfs"
fi

# 2. The build context: ccc-client (release, static Swift stdlib), Claude Code, the managed settings.
context="$work/context"
rm -rf "$context"
mkdir -p "$context"
mkdir -p "$context/swift-runtime"
if [ -z "$client" ]; then
  # ccc-mcp links the MCP SDK, hence FoundationNetworking, which needs libcurl's development files
  # to link statically (ccc-client does not: it links no MCP, so every hook starts faster).
  if [ ! -f /usr/include/x86_64-linux-gnu/curl/curl.h ] && [ ! -f /usr/include/curl/curl.h ]; then
    echo "agent-image: a static ccc-mcp needs libcurl's headers and library: apt-get install -y libcurl4-openssl-dev" >&2
    exit 1
  fi
  for product in ccc-client ccc-mcp; do
    swift build -c release --product "$product" --static-swift-stdlib --scratch-path "$swiftwork" >&2
  done
  client="$(swift build -c release --static-swift-stdlib --scratch-path "$swiftwork" --show-bin-path)/ccc-client"
fi
mcp="$(dirname "$client")/ccc-mcp"
[ -x "$mcp" ] || { echo "agent-image: no ccc-mcp beside $client (swift build --product ccc-mcp)" >&2; exit 1; }
cp "$client" "$context/ccc-client"
cp "$mcp" "$context/ccc-mcp"
# Programs that link the Swift runtime dynamically bring those libraries along (a release
# --static-swift-stdlib build links none).
toolchain_lib=$(dirname "$(dirname "$(command -v swift)")")/lib/swift/linux
ldd "$client" "$mcp" | awk -v lib="$toolchain_lib" 'index($3, lib) == 1 { print $3 }' | sort -u | while read -r library; do
  cp "$library" "$context/swift-runtime/"
done
wheel_version=$(sed -n 's/^claude-agent-sdk==\([0-9.]*\).*/\1/p' tests/interop/requirements.txt)
bundled=$(ls .venv/lib/python3*/site-packages/claude_agent_sdk/_bundled/claude 2>/dev/null | head -1 || true)
installed=$(ls -d .venv/lib/python3*/site-packages/claude_agent_sdk-"$wheel_version".dist-info 2>/dev/null | head -1 || true)
if [ -n "$bundled" ] && [ -n "$installed" ]; then
  cp "$bundled" "$context/claude"   # the pinned wheel, already installed for the tests
else
  python3 -m pip download -q --no-deps "claude-agent-sdk==$wheel_version" -d "$work/wheel"
  python3 -m zipfile -e "$work"/wheel/claude_agent_sdk-"$wheel_version"-*.whl "$work/wheel/x"
  cp "$work/wheel/x/claude_agent_sdk/_bundled/claude" "$context/claude"
fi
cp docker/agent/managed-settings.json docker/agent/managed-mcp.json "$context/"

# 3. The image, with the mirror reached through the host's network.
docker build --network host -f docker/agent/Dockerfile.offline --build-arg "CONDUIT_UID=$uid" -t conduit-agent "$context"
