"""The real Claude Code CLI (2.1.332, from the pinned claude-agent-sdk wheel), headless, against a
scripted model on loopback and the real ccc-server with the shipped tool-use action: every tool call
it makes passes `ccc-client hook` (PreToolUse), and the broker's actions are its MCP tools."""
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from broker_api import call, decide, wait_for_pending
from claude_code import CLAUDE, claude_version, run_claude
from conftest import BIN, REPOSITORY, make_home, start_broker
from scripted_model import CLAUDE_CODE_VERSION, ScriptedModel, text, tool_use


def test_the_pinned_claude_code_is_the_version_the_model_was_written_against():
    assert CLAUDE.exists(), f"no Claude Code binary at {CLAUDE}: is claude-agent-sdk installed (tests/interop/requirements.txt)?"
    assert claude_version() == CLAUDE_CODE_VERSION, "a new Claude Code: check scripted_model.py's notes, then update it"


@pytest.fixture
def home(tmp_path):
    """A broker's directory with the shipped tool-use action and an agent-only secrets file."""
    make_home(tmp_path)
    subprocess.run([BIN / "ccc-keygen", "--filter", "agent", "--output", "agent-secrets.json"], cwd=tmp_path, check=True,
                   capture_output=True)
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions" / "tool-use.yaml").write_text((REPOSITORY / "actions" / "tool-use.yaml").read_text())
    (tmp_path / "project").mkdir()
    return tmp_path


@pytest.fixture
def broker(home):
    # The README's --body-limit: Write and Edit calls carry whole files.
    server, broker = start_broker(home, home / "actions", env={"PATH": "/usr/bin:/bin", "CONDUIT_BODY_LIMIT": "4194304"})
    yield broker
    server.stop()


def person(broker, verdict, reason=None, predicate=lambda record: True, check=None):
    """Plays the approver in ccc-queue: waits for the pending tool-use request, then decides it."""
    seen = {}

    def decide_it():
        pending = wait_for_pending(broker, "tool-use", predicate, timeout=60)
        seen["record"] = pending
        if check:
            seen["checked"] = check()
        decide(broker, pending["id"], verdict, reason)
    thread = threading.Thread(target=decide_it, daemon=True)
    thread.start()
    return thread, seen


def agent(home, model, broker_url, **options):
    return run_claude(home, model, "Do the task.", broker_url, home / "agent-secrets.json", cwd=home / "project", **options)


def records(broker):
    """Every tool-use record the agent made, oldest first (from the audit log)."""
    entries = call(broker, "GET", "/v1/audit?limit=500&action=tool-use").json()["entries"]
    return [entry for entry in reversed(entries) if entry["event"] in ("request.decided", "decision", "expired")]


def test_a_read_is_accepted_by_the_shipped_rule_and_its_content_reaches_the_model(home, broker):
    notes = home / "project" / "notes.md"
    notes.write_text("the launch code is tomorrow\n")
    with ScriptedModel([tool_use("Read", {"file_path": str(notes)}), text("read it")]) as model:
        code, result, stderr = agent(home, model, broker.url)
    assert code == 0, stderr
    [(_, content, is_error)] = model.results()
    assert not is_error and "the launch code is tomorrow" in content
    decided = records(broker)
    assert decided[-1]["outcome"] == "completed" and "read-only tools" in decided[-1]["actor"]


def test_rm_rf_is_denied_by_the_shipped_rule_with_its_words_and_nothing_is_deleted(home, broker):
    victim = home / "project" / "keep"
    victim.mkdir()
    (victim / "file").write_text("x")
    with ScriptedModel([tool_use("Bash", {"command": f"rm -rf {victim}", "description": "clean up"}), text("ok")]) as model:
        code, result, stderr = agent(home, model, broker.url)
    [(_, content, is_error)] = model.results()
    assert is_error, content
    assert "recursive forced delete" in content, content
    assert (victim / "file").exists()


def test_a_queued_bash_call_runs_only_after_an_approval(home, broker):
    marker = home / "project" / "approved.txt"
    thread, seen = person(broker, "approve", check=lambda: marker.exists())
    with ScriptedModel([tool_use("Bash", {"command": f"echo approved > {marker}", "description": "write"}), text("ok")]) as model:
        code, result, stderr = agent(home, model, broker.url)
    thread.join(5)
    assert seen.get("checked") is False, "it had not run before the approval"
    assert seen["record"]["params"]["tool"] == "Bash"
    [(_, content, is_error)] = model.results()
    assert not is_error, content
    assert marker.read_text() == "approved\n"


def test_a_persons_denial_reaches_the_model_verbatim_and_nothing_runs(home, broker):
    marker = home / "project" / "denied.txt"
    thread, _ = person(broker, "deny", reason="Not on a Friday — ask Sam.")
    with ScriptedModel([tool_use("Bash", {"command": f"touch {marker}", "description": "touch"}), text("ok")]) as model:
        code, result, stderr = agent(home, model, broker.url)
    thread.join(5)
    [(_, content, is_error)] = model.results()
    assert is_error and "Not on a Friday — ask Sam." in content, content
    assert not marker.exists()


def test_an_expiry_reaches_the_model_as_an_expiry_not_as_a_denial(home):
    (home / "actions" / "tool-use.yaml").write_text(
        (REPOSITORY / "actions" / "tool-use.yaml").read_text().replace("expires: 540", "expires: 2"))
    server, broker = start_broker(home, home / "actions", env={"PATH": "/usr/bin:/bin"})
    try:
        marker = home / "project" / "late.txt"
        with ScriptedModel([tool_use("Bash", {"command": f"touch {marker}", "description": "touch"}), text("ok")]) as model:
            code, result, stderr = agent(home, model, broker.url)
    finally:
        server.stop()
    [(_, content, is_error)] = model.results()
    assert is_error and "xpired" in content and "Denied" not in content, content
    assert not marker.exists()


class Impostor(BaseHTTPRequestHandler):
    """A server that answers every request 200 "completed", unsigned."""

    def do_GET(self):
        self.answer()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length") or 0))
        self.answer()

    def do_DELETE(self):
        self.answer()

    def answer(self):
        data = b'{"id":"x","action":"tool-use","status":"completed","result":{}}'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *arguments):
        pass


@pytest.mark.parametrize("where", ["nothing listens", "an impostor answers unsigned"])
def test_without_a_genuine_broker_the_call_does_not_run(home, where):
    marker = home / "project" / "ran.txt"
    impostor = None
    if where == "nothing listens":
        from conftest import free_port
        url = f"http://127.0.0.1:{free_port()}"
    else:
        impostor = ThreadingHTTPServer(("127.0.0.1", 0), Impostor)
        threading.Thread(target=impostor.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{impostor.server_address[1]}"
    try:
        with ScriptedModel([tool_use("Bash", {"command": f"touch {marker}", "description": "touch"}), text("ok")]) as model:
            code, result, stderr = agent(home, model, url)
    finally:
        if impostor:
            impostor.shutdown()
    [(_, content, is_error)] = model.results()
    assert is_error, content
    assert not marker.exists()
