"""Issue 12: the broker under faults an agent (or bad luck) can cause, tried on the real binary.
Everything stays on 127.0.0.1; every loop is bounded."""
import json
import os
import pathlib
import secrets as random
import subprocess
import time

import pytest
import requests

from broker_api import call
from conftest import make_home, start_broker, write_agent_actions


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MiB tmpfs for the database (root only; skipped with the reason otherwise)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(directory):
    """Fills the file system of `directory` to the last byte; returns the filler file."""
    filler = directory / "filler"
    with open(filler, "wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    return filler


def say(broker, text):
    return call(broker, "POST", "/v1/actions", {"action": "say", "text": text}, user="agent")


def test_a_full_disk_answers_507_storage_full_and_status_and_metrics_say_so(tmp_path, small_disk):
    make_home(tmp_path)
    server, broker = start_broker(tmp_path, write_agent_actions(tmp_path / "actions"), db=small_disk / "conduit.sqlite")
    try:
        assert say(broker, "before").status_code == 200
        filler = fill(small_disk)
        refused = None
        for index in range(200):  # the WAL may still have room for a few pages
            answer = say(broker, "x" * 2000 + str(index))
            if answer.status_code != 200:
                refused = answer
                break
        assert refused is not None, "the full disk was never noticed"
        assert refused.status_code == 507, refused.text
        assert refused.json()["error"]["code"] == "storage_full"
        status = call(broker, "GET", "/v1/status", user="user").json()
        assert status["database"]["state"].startswith("failing"), status
        metrics = requests.get(broker.url + "/metrics", timeout=10).text
        assert "conduit_storage_failing 1" in metrics, metrics
        assert 'conduit_storage_failures{kind="full"}' in metrics
        # Space again: the next write succeeds and the state recovers.
        filler.unlink()
        assert say(broker, "after").status_code == 200
        assert call(broker, "GET", "/v1/status", user="user").json()["database"]["state"] == "ok"
        assert "conduit_storage_failing 0" in requests.get(broker.url + "/metrics", timeout=10).text
    finally:
        server.stop()
