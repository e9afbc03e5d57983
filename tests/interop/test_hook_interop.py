"""`ccc-client hook` as Claude Code runs it: a recorded PreToolUse payload on stdin, the decision as
JSON on stdout and exit 0 — or exit 2 with one line on stderr whenever it cannot decide."""
import json
import pathlib
import subprocess
import threading

import pytest

from broker_api import decide, record, wait_for_pending
from conftest import BIN
from impostor import impostor_server

PAYLOADS = pathlib.Path(__file__).parent / "payloads"


def hook(broker, payload, *extra, server=None, input_bytes=None):
    """Runs the real hook binary the way Claude Code does."""
    data = input_bytes if input_bytes is not None else (PAYLOADS / payload).read_bytes()
    return subprocess.run(
        [BIN / "ccc-client", "hook", "--secrets", broker.home / "secrets.json", "--user", "agent",
         "--server", server or broker.url, *extra],
        input=data, capture_output=True, timeout=60, env={"PATH": "/usr/bin:/bin"})


def decision(completed):
    assert completed.returncode == 0, completed.stderr.decode()
    output = json.loads(completed.stdout)["hookSpecificOutput"]
    assert output["hookEventName"] == "PreToolUse"
    return output["permissionDecision"], output["permissionDecisionReason"]


def in_background(work):
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def test_a_read_only_tool_is_allowed_by_rule(agent_broker):
    verdict, reason = decision(hook(agent_broker, "read.json"))
    assert verdict == "allow"
    assert "accepted by rule 0 (auto-accept) of tool-use (read-only tools)" in reason


def test_listing_files_with_bash_is_allowed(agent_broker):
    verdict, reason = decision(hook(agent_broker, "bash-ls.json"))
    assert verdict == "allow"
    assert "(listing files)" in reason


def test_a_destructive_bash_command_is_denied_with_exit_0(agent_broker):
    verdict, reason = decision(hook(agent_broker, "bash-rm-rf.json"))
    assert verdict == "deny"
    assert reason == "Conduit: Denied by rule 4 (auto-deny) of tool-use (recursive forced delete)"


def is_the_recorded_write(record):
    return record["params"]["tool"] == "Write" and record["params"]["input"]["file_path"] == "/workspace/notes.md"


def test_a_write_waits_for_a_person_who_allows_it(agent_broker):
    def person():
        pending = wait_for_pending(agent_broker, "tool-use", is_the_recorded_write)
        assert pending["params"]["session"] == "9b3f2c1e-5d7a-4e8b-a1c0-2f6d8e4b7a19"
        decide(agent_broker, pending["id"], "approve", "fine, it is only notes")
    thread = in_background(person)
    verdict, reason = decision(hook(agent_broker, "write.json"))
    thread.join(5)
    assert verdict == "allow"
    assert "approved by user: fine, it is only notes" in reason


def test_a_person_who_denies_is_quoted_and_the_hook_still_exits_0(agent_broker):
    words = "Don't touch notes.md — it is generated."
    thread = in_background(lambda: decide(
        agent_broker, wait_for_pending(agent_broker, "tool-use", is_the_recorded_write)["id"], "deny", words))
    verdict, reason = decision(hook(agent_broker, "write.json"))
    thread.join(5)
    assert verdict == "deny"
    assert reason == f"Conduit: Denied by user: {words}"


def blocked(completed):
    assert completed.returncode == 2
    assert completed.stdout == b""
    message = completed.stderr.decode()
    assert message.startswith("ccc-client hook: blocked: ") and message.count("\n") == 1
    return message


def test_no_decision_in_time_blocks_and_withdraws_the_request(agent_broker):
    message = blocked(hook(agent_broker, "write.json", "--timeout", "1"))
    assert "no decision in time for request" in message
    request_id = message.split("request ")[1].split(";")[0]
    assert record(agent_broker, request_id)["status"] == "canceled"


def test_an_unreachable_broker_blocks(agent_broker):
    message = blocked(hook(agent_broker, "read.json", server="http://127.0.0.1:9"))
    assert "cannot reach ccc-server at http://127.0.0.1:9" in message


def test_a_wrong_secret_blocks(agent_broker, tmp_path):
    secrets = json.loads((agent_broker.home / "secrets.json").read_text())
    secrets["agent"]["secret"] = "A" * 43 + "="
    forged = tmp_path / "secrets.json"
    forged.write_text(json.dumps(secrets))
    forged.chmod(0o600)
    completed = subprocess.run(
        [BIN / "ccc-client", "hook", "--secrets", forged, "--user", "agent", "--server", agent_broker.url],
        input=(PAYLOADS / "read.json").read_bytes(), capture_output=True, timeout=60)
    assert "refused the signature" in blocked(completed)


@pytest.fixture
def impostor():
    """A server that answers "allow"-looking JSON without a signature."""
    with impostor_server() as url:
        yield url


def test_an_unsigned_answer_blocks(agent_broker, impostor):
    assert "not signed" in blocked(hook(agent_broker, "read.json", server=impostor))


@pytest.mark.parametrize("data", [b"", b"not json", b'{"tool_name": "Bash"}',
                                  b'{"hook_event_name": "Stop", "tool_name": "Bash", "tool_input": {}}'])
def test_unusable_input_blocks(agent_broker, data):
    blocked(hook(agent_broker, None, input_bytes=data))


def test_a_tool_call_larger_than_the_body_limit_blocks_and_says_what_to_raise(agent_broker):
    payload = json.loads((PAYLOADS / "write.json").read_text())
    payload["tool_input"]["content"] = "x" * (100 * 1024)
    message = blocked(hook(agent_broker, None, input_bytes=json.dumps(payload).encode()))
    assert "(413)" in message and "--body-limit" in message
