"""Starts the real ccc-server on a free loopback port with secrets made by the real ccc-keygen."""
import json
import os
import pathlib
import re
import socket
import subprocess
import time

import pytest

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("CONDUIT_BIN_DIR", REPOSITORY / ".build" / "debug"))


class Broker:
    def __init__(self, url, secrets, home):
        self.url = url
        self.secrets = secrets
        self.home = home

    def key(self, user):
        return self.secrets[user]["secret"].encode("utf-8")


def make_home(home):
    """A broker's directory: volumes, and secrets for `user` (who may decide for `agent`) and `agent`."""
    (home / "data" / "workspace").mkdir(parents=True, exist_ok=True)
    (home / "data" / "claude-home").mkdir(parents=True, exist_ok=True)
    subprocess.run([BIN / "ccc-keygen", "--create", "user,agent"], cwd=home, check=True, capture_output=True)
    subprocess.run([BIN / "ccc-keygen", "--grant", "user:agent"], cwd=home, check=True, capture_output=True)


class RunningServer:
    """The real ccc-server, started in `home`; `stop()` ends it gracefully."""

    def __init__(self, home, actions, port=0, env=None, db=None, prefix=()):
        self.started = time.time()
        db = db or home / "conduit.sqlite"
        self.log = open(home / "server.log", "a+")
        if env and "LD_PRELOAD" in env:
            # Under libfaketime a Swift program sees no arguments (CommandLine.arguments is empty):
            # configure the broker through its CONDUIT_* variables instead.
            command = [BIN / "ccc-server"]
            env = {**env, "CONDUIT_SECRETS": "secrets.json", "CONDUIT_PORT": str(port), "CONDUIT_ACTIONS": str(actions),
                   "CONDUIT_DB": str(db)}
        else:
            command = [BIN / "ccc-server", "--secrets", "secrets.json", "--port", str(port), "--actions", actions,
                       "--db", db]
        self.process = subprocess.Popen(
            [*prefix, *command], cwd=home, stdout=self.log, stderr=subprocess.STDOUT,
            env=None if env is None else {**os.environ, **env})
        start = self.log.tell()
        self.url = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.url is None:
            self.log.seek(start)
            match = re.search(r"ccc-server listening on (http://\S+)", self.log.read())
            if match:
                self.url = match.group(1)
            elif self.process.poll() is not None:
                break
            else:
                time.sleep(0.05)
        if self.url is None:
            self.process.kill()
            self.log.seek(0)
            pytest.fail("ccc-server did not start:\n" + self.log.read())

    def stop(self):
        self.process.terminate()
        assert self.process.wait(timeout=15) == 0, "ccc-server did not shut down gracefully"


def free_port():
    """A loopback port nobody listens on now (for a broker restarted on the same port)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_broker(home, actions, port=0, env=None, db=None, prefix=()):
    server = RunningServer(home, actions, port, env, db, prefix)
    return server, Broker(server.url, json.loads((home / "secrets.json").read_text()), home)


@pytest.fixture(scope="session")
def broker(tmp_path_factory):
    home = tmp_path_factory.mktemp("broker")
    make_home(home)
    server, broker = start_broker(home, REPOSITORY / "actions")
    yield broker
    server.stop()


AGENT_ACTIONS = {
    "say.yaml": """description: Print a text on the host.
params: [{name: text, type: string, required: true, description: What to print.}]
policy: auto-accept
run: [echo, "{text}"]
""",
    "announce.yaml": """description: Announce a text on the host, once a person agrees.
params: [{name: text, type: string, required: true, description: What to announce.}]
policy: queue
run: [echo, "announced: {text}"]
""",
    "show-file.yaml": """description: Show where a workspace file lives on the host.
params: [{name: filename, type: path, required: true, description: The file.}]
policy: auto-accept
rules:
  - policy: auto-deny
    description: secrets stay private
    match: {filename: {glob: "/workspace/secret*"}}
run: [echo, "{filename}"]
""",
}


def write_agent_actions(directory):
    """Harmless actions for the Claude Code tests (they only echo), plus the shipped tool-use."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in AGENT_ACTIONS.items():
        (directory / name).write_text(text)
    (directory / "tool-use.yaml").write_text((REPOSITORY / "actions" / "tool-use.yaml").read_text())
    return directory


@pytest.fixture(scope="session")
def agent_broker(tmp_path_factory):
    """A broker offering echo-only actions and the shipped tool-use action."""
    home = tmp_path_factory.mktemp("agent-broker")
    make_home(home)
    server, broker = start_broker(home, write_agent_actions(home / "actions"))
    yield broker
    server.stop()
