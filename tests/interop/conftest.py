"""Starts the real ccc-server on a free loopback port with secrets made by the real ccc-keygen."""
import json
import os
import pathlib
import re
import subprocess
import time

import pytest

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("CONDUIT_BIN_DIR", REPOSITORY / ".build" / "debug"))


class Broker:
    def __init__(self, url, secrets):
        self.url = url
        self.secrets = secrets

    def key(self, user):
        return self.secrets[user]["secret"].encode("utf-8")


@pytest.fixture(scope="session")
def broker(tmp_path_factory):
    home = tmp_path_factory.mktemp("broker")
    (home / "data" / "workspace").mkdir(parents=True)
    (home / "data" / "claude-home").mkdir(parents=True)
    subprocess.run([BIN / "ccc-keygen", "--create", "user,agent"], cwd=home, check=True, capture_output=True)
    subprocess.run([BIN / "ccc-keygen", "--grant", "user:agent"], cwd=home, check=True, capture_output=True)
    log = open(home / "server.log", "w+")
    server = subprocess.Popen(
        [BIN / "ccc-server", "--secrets", "secrets.json", "--port", "0", "--actions", REPOSITORY / "actions",
         "--db", home / "conduit.sqlite"],
        cwd=home, stdout=log, stderr=subprocess.STDOUT)
    url = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and url is None:
        log.seek(0)
        match = re.search(r"ccc-server listening on (http://\S+)", log.read())
        if match:
            url = match.group(1)
        elif server.poll() is not None:
            break
        else:
            time.sleep(0.05)
    if url is None:
        server.kill()
        log.seek(0)
        pytest.fail("ccc-server did not start:\n" + log.read())
    secrets = json.loads((home / "secrets.json").read_text())
    yield Broker(url, secrets)
    server.terminate()
    assert server.wait(timeout=15) == 0, "ccc-server did not shut down gracefully"
