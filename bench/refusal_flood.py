"""How fast can an unauthenticated client grow the database? Floods the real ccc-server with
unsigned requests (60,000-character paths, 5,000-character claimed keyids) from several loopback
source addresses for SECONDS, then reports requests sent, audit rows written and database growth.

    .venv/bin/python bench/refusal_flood.py [SECONDS] [PEERS]        (default 60 s, 4 peers)

Uses the debug binaries in .build/debug (CONDUIT_BIN_DIR to change); loopback only, bounded in time.
"""
import os
import pathlib
import socket
import sqlite3
import sys
import tempfile
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests" / "interop"))
from conftest import make_home, start_broker, write_agent_actions  # noqa: E402

seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 60
peers = int(sys.argv[2]) if len(sys.argv) > 2 else 4


def database_bytes(home):
    return sum(os.path.getsize(home / name) for name in ("conduit.sqlite", "conduit.sqlite-wal") if (home / name).exists())


home = pathlib.Path(tempfile.mkdtemp(prefix="conduit-flood."))
make_home(home)
server, broker = start_broker(home, write_agent_actions(home / "actions"))
host, port = broker.url.removeprefix("http://").split(":")
request = (f"GET /v1/actions/{'a' * 60_000} HTTP/1.1\r\nHost: x\r\n"
           f"Signature-Input: sig=(\"@method\");keyid=\"{'k' * 5000}\"\r\nSignature: sig=:AAAA:\r\n"
           "Connection: close\r\n\r\n").encode()
sent = [0]
lock = threading.Lock()
before = database_bytes(home)
deadline = time.monotonic() + seconds


def flood(source):
    while time.monotonic() < deadline:
        with socket.create_connection((host, int(port)), timeout=10, source_address=(source, 0)) as connection:
            connection.sendall(request)
            while connection.recv(65536):
                pass
        with lock:
            sent[0] += 1


threads = [threading.Thread(target=flood, args=(f"127.0.0.{1 + index % peers}",)) for index in range(2 * peers)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
time.sleep(11)  # the last window's summary row
server.stop()
with sqlite3.connect(home / "conduit.sqlite") as db:
    rows = dict(db.execute("SELECT event, count(*) FROM audit_log GROUP BY event").fetchall())
    stored = db.execute("SELECT sum(length(detail) + length(hash) + length(previousHash) + coalesce(length(user), 0)) "
                        "FROM audit_log").fetchone()[0] or 0
growth = database_bytes(home) - before
print(f"{sent[0]} unsigned requests in {seconds:.0f} s from {peers} peers ({sent[0] / seconds:.0f}/s)")
print(f"audit rows: {rows}; {stored} bytes of row content")
print(f"database growth: {growth} bytes ({growth / seconds:.0f} bytes/s)")
