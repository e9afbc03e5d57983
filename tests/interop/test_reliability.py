"""Issue 12: the broker under faults an agent (or bad luck) can cause, tried on the real binary.
Everything stays on 127.0.0.1; every loop is bounded."""
import json
import os
import pathlib
import secrets as random
import socket
import subprocess
import time

import pytest
import requests

from broker_api import call, decide, record
from conftest import make_home, start_broker, write_agent_actions
from test_rfc9421_interop import prepare


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


def hold_long_poll(broker, request_id, seconds):
    """Sends a signed `GET …?wait=SECONDS` on a raw socket and returns the socket, unanswered."""
    host, port = broker.url.removeprefix("http://").split(":")
    prepared = prepare(broker, "GET", f"/v1/actions/{request_id}?wait={seconds}", nonce=random.token_urlsafe(16))
    head = f"GET {prepared.path_url} HTTP/1.1\r\nHost: {host}:{port}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in prepared.headers.items())
    connection = socket.create_connection((host, int(port)), timeout=10)
    connection.sendall((head + "\r\n").encode())
    return connection


def waits_active(broker):
    """`conduit_waits_active` from /metrics."""
    text = requests.get(broker.url + "/metrics", timeout=10).text
    return int(float(next(line.split()[-1] for line in text.splitlines() if line.startswith("conduit_waits_active"))))


def wait_until(predicate, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.05)
    return predicate()


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


# Issue 12, item 2: an abandoned long-poll gives its socket back at once.

def open_descriptors(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def test_abandoned_long_polls_release_their_sockets_at_once(tmp_path):
    make_home(tmp_path)
    server, broker = start_broker(tmp_path, write_agent_actions(tmp_path / "actions"))
    try:
        queued = call(broker, "POST", "/v1/actions", {"action": "announce", "text": "wait for me"}, user="agent")
        request_id = queued.json()["id"]
        baseline = open_descriptors(server.process.pid)
        sockets = [hold_long_poll(broker, request_id, 300) for _ in range(60)]  # below the per-user cap of 64
        assert wait_until(lambda: waits_active(broker) == 60)
        held = open_descriptors(server.process.pid)
        assert held >= baseline + 50, (baseline, held)
        for connection in sockets:
            connection.close()
        started = time.monotonic()
        wait_until(lambda: waits_active(broker) == 0 and open_descriptors(server.process.pid) <= baseline + 10)
        released = time.monotonic() - started
        print(f"\n60 abandoned ?wait=300 long-polls: {held - baseline} descriptors held, all released in {released:.2f} s")
        assert waits_active(broker) == 0, "the waits ended with their connections"
        assert open_descriptors(server.process.pid) <= baseline + 10
        # The request itself is untouched and still decidable.
        assert call(broker, "GET", f"/v1/actions/{request_id}", user="agent").json()["status"] == "pending"
    finally:
        server.stop()


# Issue 12, item 5: a deleted -wal stops acknowledgements; a damaged file is refused at start.

def test_a_deleted_wal_file_stops_acknowledging_writes(tmp_path):
    make_home(tmp_path)
    server, broker = start_broker(tmp_path, write_agent_actions(tmp_path / "actions"))
    try:
        assert say(broker, "before").status_code == 200
        (tmp_path / "conduit.sqlite-wal").unlink()
        for index in range(3):
            answer = say(broker, f"after {index}")
            assert answer.status_code == 503, answer.text
            assert answer.json()["error"]["code"] == "storage_unavailable"
            assert "-wal was deleted" in answer.json()["error"]["message"]
        assert call(broker, "GET", "/v1/status", user="user").json()["database"]["state"].startswith("failing")
    finally:
        server.stop()


def test_a_damaged_database_is_refused_at_start(tmp_path):
    make_home(tmp_path)
    actions = write_agent_actions(tmp_path / "actions")
    server, broker = start_broker(tmp_path, actions)
    for index in range(300):
        assert say(broker, f"{index} " + "x" * 500).status_code == 200
    server.stop()
    database = tmp_path / "conduit.sqlite"
    size = database.stat().st_size
    assert size > 64 * 4096, size
    with open(database, "r+b") as file:  # garbage over pages in the middle of the file
        for page in range(20, 40):
            file.seek(page * 4096 + 100)
            file.write(os.urandom(2000))
    from conftest import BIN
    done = subprocess.run(
        [BIN / "ccc-server", "--secrets", "secrets.json", "--port", "0", "--actions", actions, "--db", database],
        cwd=tmp_path, capture_output=True, timeout=60)
    output = (done.stdout + done.stderr).decode()
    assert done.returncode != 0, output
    assert "damaged" in output or "malformed" in output, output
    assert "listening" not in output


# Issue 12, item 1: out of descriptors, the broker answers "busy" and lives.

def test_more_connections_than_descriptors_get_503_and_the_broker_survives(tmp_path):
    import shutil
    if shutil.which("prlimit") is None:
        pytest.skip("prlimit (util-linux) is missing")
    make_home(tmp_path)
    server, broker = start_broker(tmp_path, write_agent_actions(tmp_path / "actions"),
                                  prefix=("prlimit", "--nofile=160:160", "--"))
    host, port = broker.url.removeprefix("http://").split(":")
    idle = []
    try:
        for _ in range(220):  # more than the process may open
            try:
                idle.append(socket.create_connection((host, int(port)), timeout=5))
            except OSError:
                break
        time.sleep(0.3)
        # A request now is answered 503 with Retry-After, or its connection is refused: never a crash.
        answers = []
        for _ in range(5):
            try:
                answers.append(requests.get(broker.url + "/healthz", timeout=5))
            except requests.RequestException:
                answers.append(None)
        busy = [a for a in answers if a is not None and a.status_code == 503]
        for answer in busy:
            assert answer.headers["Retry-After"] == "1"
            assert answer.json()["error"]["code"] == "too_many_connections"
        assert server.process.poll() is None, "the broker died"
        for connection in idle:
            connection.close()
        deadline = time.monotonic() + 10
        healthy = False
        while time.monotonic() < deadline and not healthy:
            try:
                healthy = requests.get(broker.url + "/healthz", timeout=5).status_code == 200
            except requests.RequestException:
                time.sleep(0.2)
        assert healthy, "the broker did not recover"
        assert say(broker, "still here").status_code == 200
        print(f"\n{len(idle)} idle connections at a 160-descriptor limit: {len(busy)} of 5 requests got 503, the rest "
              f"{[a.status_code if a is not None else 'refused' for a in answers]}")
    finally:
        for connection in idle:
            connection.close()
        server.stop()


def test_one_user_cannot_hold_more_than_64_long_polls(tmp_path):
    make_home(tmp_path)
    server, broker = start_broker(tmp_path, write_agent_actions(tmp_path / "actions"))
    sockets = []
    try:
        request_id = call(broker, "POST", "/v1/actions", {"action": "announce", "text": "hold"}, user="agent").json()["id"]
        sockets = [hold_long_poll(broker, request_id, 30) for _ in range(64)]
        assert wait_until(lambda: waits_active(broker) == 64)
        answer = call(broker, "GET", f"/v1/actions/{request_id}?wait=1", user="agent")
        assert answer.status_code == 503, answer.text
        assert answer.json()["error"]["code"] == "too_many_waits"
        assert answer.headers["Retry-After"] == "1"
        # Without ?wait= the same user is still served, and another user can still wait.
        assert call(broker, "GET", f"/v1/actions/{request_id}", user="agent").status_code == 200
        assert call(broker, "GET", f"/v1/actions/{request_id}?wait=0", user="user").status_code == 200
    finally:
        for connection in sockets:
            connection.close()
        server.stop()


# Issue 12, item 3: a subscriber that falls more than its buffer behind is told, then disconnected.

def test_a_subscriber_past_its_buffer_gets_an_overflow_event_and_can_resume(tmp_path):
    make_home(tmp_path)
    server, broker = start_broker(tmp_path, write_agent_actions(tmp_path / "actions"),
                                  env={"CONDUIT_EVENT_BUFFER": "16"})
    host, port = broker.url.removeprefix("http://").split(":")
    prepared = prepare(broker, "GET", "/v1/events", nonce=random.token_urlsafe(16))
    head = f"GET {prepared.path_url} HTTP/1.1\r\nHost: {host}:{port}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in prepared.headers.items())
    stream = socket.socket()
    stream.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a slow reader: it reads nothing yet
    stream.connect((host, int(port)))
    try:
        stream.sendall((head + "\r\n").encode())
        for index in range(200):  # ~500 events of ~20 KB: far more than 16 plus what the sockets buffer
            assert say(broker, f"{index} " + "x" * 20_000).status_code == 200
        stream.settimeout(5)
        data = b""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and b"event: overflow" not in data:
            try:
                chunk = stream.recv(1 << 20)
            except socket.timeout:
                break
            if not chunk:
                break
            data += chunk
        text = data.decode(errors="replace")
        assert "event: overflow" in text, text[-500:]
        marker = json.loads(text.split("event: overflow\ndata: ")[1].split("\n")[0])
        assert marker["dropped"] > 0 and marker["resume_after"] > 0, marker
    finally:
        stream.close()
        server.stop()


# Issue 12, item 7: handlers end with the broker, and a restart says whether each may have run.

LINGER = """description: Runs a while, leaving a child of its own behind.
params: [{name: mark, type: string, required: true, description: Where it writes its process ids.}]
policy: queue
timeout: 120
run: [sh, -c, 'sleep 120 & echo $! > "$0.child"; echo $$ > "$0.pid"; wait', "{mark}"]
"""


def alive(pid):
    """Whether process `pid` exists and is not a zombie."""
    try:
        state = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def test_handlers_die_with_a_killed_broker_and_the_restart_says_they_may_have_run(tmp_path):
    make_home(tmp_path)
    actions = tmp_path / "actions"
    actions.mkdir()
    (actions / "linger.yaml").write_text(LINGER)
    server, broker = start_broker(tmp_path, actions)
    marks, ids = [tmp_path / f"run{index}" for index in range(3)], []
    try:
        for mark in marks:
            queued = call(broker, "POST", "/v1/actions", {"action": "linger", "mark": str(mark)}, user="agent")
            assert queued.status_code == 202, queued.text
            ids.append(queued.json()["id"])
            assert decide(broker, ids[-1], "approve")["status"] == "running"
        assert wait_until(lambda: all(pathlib.Path(f"{mark}.pid").exists() and pathlib.Path(f"{mark}.child").exists()
                                      and pathlib.Path(f"{mark}.child").read_text().strip() for mark in marks))
        pids = [int(pathlib.Path(f"{mark}.{kind}").read_text()) for mark in marks for kind in ("pid", "child")]
        assert all(alive(pid) for pid in pids)
        started = [record(broker, request_id)["started"] for request_id in ids]
        assert all(started), "a running command's record says when it was let start"
    finally:
        server.process.kill()  # kill -9: no shutdown code runs
        server.process.wait(timeout=10)
    assert wait_until(lambda: not any(alive(pid) for pid in pids), timeout=5), \
        f"still running after the broker died: {[pid for pid in pids if alive(pid)]}"

    server, broker = start_broker(tmp_path, actions)
    try:
        for request_id, start in zip(ids, started):
            after = record(broker, request_id)
            assert after["status"] == "failed"
            assert "while its command ran" in after["reason"] and start in after["reason"], after["reason"]
            assert "may have run" in after["reason"]
    finally:
        server.stop()


def test_a_handler_killed_for_its_timeout_takes_its_process_group_with_it(tmp_path):
    make_home(tmp_path)
    actions = tmp_path / "actions"
    actions.mkdir()
    (actions / "linger.yaml").write_text(LINGER.replace("timeout: 120", "timeout: 1").replace("policy: queue",
                                                                                             "policy: auto-accept"))
    server, broker = start_broker(tmp_path, actions)
    mark = tmp_path / "timed"
    try:
        answer = call(broker, "POST", "/v1/actions", {"action": "linger", "mark": str(mark)}, user="agent")
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == "failed" and answer.json()["result"].get("timedOut") is True, answer.text
        child = int(pathlib.Path(f"{mark}.child").read_text())
        assert wait_until(lambda: not alive(child), timeout=5), "the handler's child outlived its timeout"
    finally:
        server.stop()
