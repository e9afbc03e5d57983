"""Supervised runs (issue 17) with the real parts: ccc-server starts the real Claude Code CLI (the
pinned wheel's binary) against a scripted model on loopback, in a real git worktree of a real
project, every tool call through `ccc-client hook` and the broker's policies."""
import json
import threading

import pytest

from broker_api import call, decide, wait_for_pending
from runs_support import RunBroker, git, marked_processes, worktree_of
from scripted_model import ScriptedModel, text, tool_use

QUICK = "description: A quick task\npolicy: auto-accept\ntimeout: 120\n"
CHECKED = """description: Write fix.txt and prove it
policy: auto-accept
timeout: 120
checks:
  - name: the fix is there
    run: [test, -f, fix.txt]
"""


@pytest.fixture
def model_script():
    return []


@pytest.fixture
def model(model_script):
    with ScriptedModel(model_script) as model:
        yield model


def write(name, content):
    """The model writes `name` into the run's worktree (found in Claude Code's request)."""
    return lambda request: tool_use("Write", {"file_path": f"{worktree_of(request)}/{name}", "content": content})


def test_a_queued_write_makes_the_run_wait_until_approved_then_it_succeeds_and_its_branch_holds_the_commit(tmp_path):
    with ScriptedModel([write("fix.txt", "fixed\n"), text("Fixed it.")]) as model:
        runs = RunBroker(tmp_path, model, {"checked": CHECKED}, queued_writes=True)
        try:
            answer = runs.submit("checked", "Fix the bug.")
            assert answer.status_code == 202, answer.text
            [run] = answer.json()["runs"]
            assert answer.json()["group"] == run["group"] and run["branch"] == f"conduit/{run['id']}"
            pending = wait_for_pending(runs.broker, "tool-use", lambda record: record["params"]["tool"] == "Write", timeout=60)
            assert pending["run"] == run["id"], "the tool call names its run"
            assert pending["submitter"] == "agent", "submitted as the run's submitter, so the same people decide"
            waiting = runs.until(run["id"], lambda state: state["status"] == "waiting", what="the run to wait for the person")
            assert waiting["attempts"][0]["status"] == "waiting"
            decide(runs.broker, pending["id"], "approve")
            done = runs.finished(run["id"])
            events = runs.events(run["id"])
            later = runs.events(run["id"], last_event_id=events[2]["id"])
        finally:
            runs.stop()
    assert done["status"] == "succeeded", json.dumps(done, indent=1)
    [attempt] = done["attempts"]
    assert attempt["checks"] == [{"name": "the fix is there", "exitCode": 0, "passed": True, "output": ""}]
    assert done["result"] == "Fixed it." and attempt["session"] and "fix.txt" in attempt["diff_stat"]
    project = runs.project
    assert git("log", "--format=%s", f"main..conduit/{run['id']}", cwd=project) == "conduit: attempt 1"
    assert git("show", f"conduit/{run['id']}:fix.txt", cwd=project) == "fixed"
    assert git("status", "--porcelain", cwd=project) == "", "the project's own tree is untouched"

    kinds = [event["event"] for event in events]
    assert kinds[0] == "run.status" and kinds[-1] == "run.finished", kinds
    for kind in ("attempt.started", "tool.call", "tool.decision", "tool.result", "check.finished", "attempt.finished"):
        assert kind in kinds, f"{kind} in {kinds}"
    statuses = [event["data"]["status"] for event in events if event["event"] == "run.status"]
    assert statuses == ["queued", "running", "waiting", "running", "checking", "succeeded"], statuses
    [call_event] = [event for event in events if event["event"] == "tool.call"]
    assert call_event["data"]["tool"] == "Write"
    [decision] = [event for event in events if event["event"] == "tool.decision"]
    assert decision["data"]["outcome"] == "allowed" and decision["data"]["by"] == "user"
    assert decision["data"]["request"] == pending["id"] and decision["data"]["tool_use_id"] == call_event["data"]["tool_use_id"]
    assert [event["id"] for event in later] == [event["id"] for event in events[3:]], "Last-Event-ID replays what came after it"
