"""The second security review's findings (issue 10) that need a peer outside Swift: a flood of
unsigned requests, a broker that answers and then hangs, a replay across a kill -9 restart, and a
request with two Host header fields. Everything stays on 127.0.0.1, every loop is bounded."""
import datetime
import json
import os
import pathlib
import secrets as random
import socket
import sqlite3
import subprocess
import threading
import time

import pytest

from conftest import free_port, BIN, REPOSITORY, RunningServer, make_home, start_broker, write_agent_actions
from test_rfc9421_interop import prepare, send

PAYLOADS = pathlib.Path(__file__).parent / "payloads"


@pytest.fixture
def own_broker(tmp_path):
    """A broker of this test's own (its database is measured), with the echo-only agent actions."""
    make_home(tmp_path)
    actions = write_agent_actions(tmp_path / "actions")
    server, broker = start_broker(tmp_path, actions)
    yield server, broker
    if server.process.poll() is None:
        server.stop()


def raw_request(url, data, timeout=10):
    """Sends raw bytes to the broker and returns the raw answer (status line first)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(data)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
        head, _, rest = answer.partition(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        while len(rest) < length:
            chunk = connection.recv(65536)
            if not chunk:
                break
            rest += chunk
        return head.decode(), rest


def database_bytes(home):
    return sum(os.path.getsize(home / name) for name in ("conduit.sqlite", "conduit.sqlite-wal")
               if (home / name).exists())


def audit_rows(home, event):
    with sqlite3.connect(f"file:{home / 'conduit.sqlite'}?mode=ro", uri=True) as db:
        return db.execute("SELECT detail FROM audit_log WHERE event = ?", (event,)).fetchall()


# 5. Unsigned floods do not grow the audit log without bound.

def test_an_unsigned_flood_is_audited_within_a_fixed_budget(own_broker):
    server, broker = own_broker
    home = broker.home
    before = database_bytes(home)
    long_path = "/v1/actions/" + "a" * 60_000
    sent = [0]
    lock = threading.Lock()

    def flood():
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            head, _ = raw_request(broker.url, f"GET {long_path} HTTP/1.1\r\nHost: x\r\nSignature-Input: sig=(\"@method\");keyid=\"{'k' * 5000}\"\r\nSignature: sig=:AAAA:\r\nConnection: close\r\n\r\n".encode())
            assert head.startswith("HTTP/1.1 401"), head
            with lock:
                sent[0] += 1
            if sent[0] >= 3000:
                return

    threads = [threading.Thread(target=flood) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    refused = audit_rows(home, "request.refused")
    # At most 10 full rows per 10-second window; the flood spans at most two windows.
    assert 1 <= len(refused) <= 20, len(refused)
    for (detail,) in refused:
        assert len(detail) < 1200, len(detail)
        assert "bytes in all]" in json.loads(detail)["path"]
    # The rest is counted into one summary row per window, written when the window has ended.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not audit_rows(home, "request.refused.summary"):
        time.sleep(0.2)
    summaries = [json.loads(detail) for (detail,) in audit_rows(home, "request.refused.summary")]
    assert summaries, "no summary row within 15 s"
    assert sum(summary["suppressed"] for summary in summaries) + len(refused) <= sent[0]
    assert all("127.0.0.1" in summary["peers"] for summary in summaries)
    growth = database_bytes(home) - before
    print(f"\n{sent[0]} unsigned 60 KB requests: {len(refused)} full rows, {len(summaries)} summary rows, "
          f"database +{growth} bytes")
    assert growth < 1_000_000, growth


def test_a_request_with_two_host_fields_is_a_400(own_broker):
    _, broker = own_broker
    for target in ("/v1/queue", "/healthz"):
        head, body = raw_request(broker.url, f"GET {target} HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n".encode())
        assert head.startswith("HTTP/1.1 400"), head
        assert json.loads(body)["error"]["code"] == "duplicate_host"


# 7. A request accepted before a restart is never accepted after it.

def test_a_request_accepted_before_a_kill_9_restart_is_refused_after_it(tmp_path):
    make_home(tmp_path)
    actions = write_agent_actions(tmp_path / "actions")
    port = free_port()
    server, broker = start_broker(tmp_path, actions, port=port)
    same_second = 0
    try:
        for _ in range(4):
            time.sleep(1 - time.time() % 1 + 0.01)  # the start of a second, as in the finding
            body = json.dumps({"action": "say", "text": "once"}).encode()
            prepared = prepare(broker, "POST", "/v1/actions", body, nonce=random.token_urlsafe(16))
            first = send(prepared)
            assert first.status_code == 200 and first.json()["status"] == "completed", first.text
            created = int(time.time())
            server.process.kill()
            server.process.wait(timeout=10)
            server = RunningServer(tmp_path, actions, port=port)
            same_second += int(created == int(server.started))
            replay = send(prepared)
            assert replay.status_code == 401, replay.text
            assert replay.json()["error"]["code"] in ("signature_before_server_start", "replayed_nonce")
    finally:
        server.stop()
    print(f"\nrestarts that began in the second the request was accepted: {same_second} of 4")


# 6. The hook fails closed before its own --timeout, whatever the broker does.

class StallingProxy:
    """Passes the first request (the submission) to the broker and its answer back; every later
    request on any connection is read and never answered — a broker that answered 202 and then hung."""

    def __init__(self, upstream):
        self.upstream = upstream.removeprefix("http://").split(":")
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.forwarded = 0
        self.stalled = 0
        self.lock = threading.Lock()
        self.closing = threading.Event()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        self.listener.settimeout(0.2)
        while not self.closing.is_set():
            try:
                connection, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return  # closed
            threading.Thread(target=self.serve, args=(connection,), daemon=True).start()

    @staticmethod
    def read_request(connection):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        while len(body) < length:
            body += connection.recv(65536)
        return head + b"\r\n\r\n" + body

    def serve(self, connection):
        with connection:
            while not self.closing.is_set():
                request = self.read_request(connection)
                if request is None:
                    return
                with self.lock:
                    first = self.forwarded == 0
                    if first:
                        self.forwarded += 1
                    else:
                        self.stalled += 1
                if not first:
                    self.closing.wait(60)  # hang: read, never answer
                    return
                head, body = raw_request(f"http://{self.upstream[0]}:{self.upstream[1]}", request)
                connection.sendall(head.encode() + b"\r\n\r\n" + body)

    def close(self):
        self.closing.set()
        self.listener.close()


def test_the_hook_exits_2_before_its_timeout_when_the_broker_hangs_after_202(agent_broker):
    proxy = StallingProxy(agent_broker.url)
    try:
        started = time.monotonic()
        completed = subprocess.run(
            [BIN / "ccc-client", "hook", "--secrets", agent_broker.home / "secrets.json", "--user", "agent",
             "--server", proxy.url, "--timeout", "2"],
            input=(PAYLOADS / "write.json").read_bytes(), capture_output=True, timeout=30, env={"PATH": "/usr/bin:/bin"})
        elapsed = time.monotonic() - started
    finally:
        proxy.close()
    assert proxy.forwarded == 1 and proxy.stalled >= 1, (proxy.forwarded, proxy.stalled)
    assert completed.returncode == 2, completed
    assert completed.stdout == b""
    assert completed.stderr.decode().startswith("ccc-client hook: blocked:")
    print(f"\nhook --timeout 2 against a hanging broker exited 2 after {elapsed:.2f} s (process start included)")
    assert elapsed < 2.75, elapsed  # 2 s less the watchdog margin, plus the process start


def test_send_ends_within_its_timeout_when_the_broker_hangs_after_202(agent_broker):
    proxy = StallingProxy(agent_broker.url)
    try:
        started = time.monotonic()
        completed = subprocess.run(
            [BIN / "ccc-client", "--secrets", agent_broker.home / "secrets.json", "--user", "agent",
             "--server", proxy.url, "--timeout", "2", '{"action": "announce", "text": "hi"}'],
            capture_output=True, timeout=30, env={"PATH": "/usr/bin:/bin"})
        elapsed = time.monotonic() - started
    finally:
        proxy.close()
    assert completed.returncode == 4, completed
    assert elapsed < 5.5, elapsed  # --timeout + 2 s, plus the process start


# Issue 12, item 6: a step of the wall clock back does not lock everyone out.

LIBFAKETIME = pathlib.Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")


@pytest.mark.skipif(not LIBFAKETIME.exists(), reason="faketime is not installed (scripts/bootstrap.sh installs it)")
def test_a_wall_clock_step_back_does_not_refuse_every_request(tmp_path):
    make_home(tmp_path)
    actions = write_agent_actions(tmp_path / "actions")
    offset = tmp_path / "faketime"
    offset.write_text("+0\n")
    server, broker = start_broker(tmp_path, actions, env={
        "LD_PRELOAD": str(LIBFAKETIME), "FAKETIME_TIMESTAMP_FILE": str(offset), "FAKETIME_NO_CACHE": "1",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1"})
    try:
        body = json.dumps({"action": "say", "text": "before"}).encode()
        assert send(prepare(broker, "POST", "/v1/actions", body, nonce=random.token_urlsafe(16))).status_code == 200
        offset.write_text("-600\n")  # the machine's clock steps back 10 minutes
        time.sleep(0.2)
        stepped = datetime.datetime.fromtimestamp(time.time() - 600)
        body = json.dumps({"action": "say", "text": "after"}).encode()
        answer = send(prepare(broker, "POST", "/v1/actions", body, nonce=random.token_urlsafe(16), created=stepped))
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == "completed"
        # A request signed before the step (10 minutes ahead of the clock now) is still refused.
        ahead = send(prepare(broker, "POST", "/v1/actions", body, nonce=random.token_urlsafe(16), created=stepped + datetime.timedelta(seconds=600)))
        assert ahead.status_code == 401 and ahead.json()["error"]["code"] == "signature_in_future"
    finally:
        server.stop()
