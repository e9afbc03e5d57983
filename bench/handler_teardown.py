"""Issue 12, item 7, as a measurement: 300 approved handlers (`sleep 30.xxx`) are running when
ccc-server is killed with SIGKILL; how many are still running afterwards, and what does the
restarted broker say about them?

    CONDUIT_BIN_DIR=.build-cmo/release .venv/bin/python bench/handler_teardown.py

(after bench/run.sh has built the release binaries; loopback only)."""
import pathlib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests" / "interop"))
from conftest import make_home, start_broker
from broker_api import call, decide, record
home = pathlib.Path(tempfile.mkdtemp())
make_home(home)
(home / "actions").mkdir()
(home / "actions" / "nap.yaml").write_text("""description: Sleeps.
params: [{name: tag, type: string, required: true, description: A tag.}]
policy: queue
timeout: 120
run: [sleep, "{tag}"]
""")
server, broker = start_broker(home, home / "actions")
ids = []
for index in range(300):
    queued = call(broker, "POST", "/v1/actions", {"action": "nap", "tag": f"{30 + index / 1000:.3f}"}, user="agent")
    ids.append(queued.json()["id"])
for request_id in ids:
    decide(broker, request_id, "approve")
def sleepers():
    out = subprocess.run(["pgrep", "-f", r"^sleep 30\.[0-9]{3}$"], capture_output=True, text=True).stdout.split()
    return len(out)
deadline = time.monotonic() + 30
while sleepers() < 300 and time.monotonic() < deadline: time.sleep(0.1)
print("handlers running before kill -9:", sleepers())
server.process.kill(); server.process.wait()
t0 = time.monotonic()
while sleepers() and time.monotonic() - t0 < 10: time.sleep(0.01)
print(f"handlers running {time.monotonic() - t0:.2f} s after kill -9: {sleepers()}")
server, broker = start_broker(home, home / "actions")
reasons = [record(broker, i)["reason"] for i in ids]
print("after restart:", sum("while its command ran" in r for r in reasons), "say 'may have run' (started),",
      sum("did not run" in r for r in reasons), "say 'did not run'")
server.stop()
