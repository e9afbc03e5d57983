#!/usr/bin/env bash
# Sets everything up and starts a demo broker on http://127.0.0.1:3015:
# builds Conduit, creates demo secrets (user approves agent) and the agent's filtered file,
# makes the shared directories ./data/workspace and ./data/claude-home, then runs ccc-server with its
# database in ./data/conduit.sqlite (extra arguments go to ccc-server).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --no-venv
swift build
bin=$(swift build --show-bin-path)

if [ ! -f secrets.json ]; then
  "$bin/ccc-keygen" --create user,agent --output secrets.json
  "$bin/ccc-keygen" --grant user:agent --secrets secrets.json
fi
if [ ! -f agent-secrets.json ]; then
  "$bin/ccc-keygen" --filter agent --secrets secrets.json --output agent-secrets.json
fi
mkdir -p data/workspace data/claude-home

cat <<EOM

Demo broker starting. In another terminal, from $(pwd):
  $bin/ccc-client --secrets agent-secrets.json '{"action": "list-actions"}'
  $bin/ccc-client --secrets agent-secrets.json '{"action": "open-browser", "url": "https://example.com"}'
and approve or deny that one in a third terminal:
  $bin/ccc-queue --secrets secrets.json --user user
To supervise Claude Code in a container, see README.md, "Supervising Claude Code".
Stop it with Ctrl-C.

EOM
exec "$bin/ccc-server" --secrets secrets.json --db data/conduit.sqlite "$@"
