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

# The address the broker will listen on, from the arguments given to it (--host/--port, either
# spelling), so the commands printed below reach this broker and no other.
host=127.0.0.1 port=3015
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --port) port="${args[i + 1]:-$port}" ;;
    --port=*) port="${args[i]#--port=}" ;;
    --host) host="${args[i + 1]:-$host}" ;;
    --host=*) host="${args[i]#--host=}" ;;
  esac
done
server="http://$host:$port"
if [ "$server" = "http://127.0.0.1:3015" ]; then to=""; else to=" --server $server"; fi

cat <<EOM

Demo broker starting on $server. In another terminal, from $(pwd):
  export PATH="$bin:\$PATH"
  ccc-client$to --secrets agent-secrets.json '{"action": "list-actions"}'
  ccc-client$to --secrets agent-secrets.json '{"action": "open-browser", "url": "https://example.com"}'
and approve or deny that one in a third terminal:
  ccc-queue$to --secrets secrets.json --user user
The README's tour works against this broker: skip its steps 1 and 2 (the demo made the secrets
and runs the broker).
To supervise Claude Code in a container, see README.md, "Supervising Claude Code".
Stop it with Ctrl-C.

EOM
exec "$bin/ccc-server" --secrets secrets.json --db data/conduit.sqlite "$@"
