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


RETRYING = """description: Two files, the second proven by a check
policy: auto-accept
timeout: 120
max_attempts: 2
checks:
  - name: the second file
    run: [cat, second.txt]
    on_fail: retry
"""


def test_a_check_that_fails_once_makes_a_second_attempt_told_its_output_which_resumes_the_session_and_succeeds(tmp_path):
    seen = {}

    def second(request):
        seen["retry"] = json.dumps(request["messages"])
        return write("second.txt", "here\n")(request)
    with ScriptedModel([text("First try."), second, text("Second try.")]) as model:
        runs = RunBroker(tmp_path, model, {"retrying": RETRYING})
        try:
            [run] = runs.submit("retrying", "Write two files.").json()["runs"]
            done = runs.finished(run["id"])
        finally:
            runs.stop()
    assert done["status"] == "succeeded", json.dumps(done, indent=1)
    first, again = done["attempts"]
    assert first["status"] == "failed" and first["reason"] == 'check "the second file" failed (exit code 1)'
    assert "No such file" in first["checks"][0]["output"]
    assert 'The check \\"the second file\\"' in seen["retry"] and "No such file" in seen["retry"], "the retry prompt names the check and its output"
    assert "Write two files." in seen["retry"], "the second attempt resumed the first one's session"
    assert again["session"] == first["session"] and again["prompt"].startswith('The check "the second file"')
    assert again["checks"] == [{"name": "the second file", "exitCode": 0, "passed": True, "output": "here\n"}]
    assert done["result"] == "Second try."


def test_fanout_three_gives_three_runs_on_three_branches_in_one_group(tmp_path):
    with ScriptedModel([]) as model:
        runs = RunBroker(tmp_path, model, {"quick": QUICK})
        try:
            answer = runs.submit("quick", fanout=3).json()
            done = [runs.finished(run["id"]) for run in answer["runs"]]
            listed = call(runs.broker, "GET", f"/v1/runs?group={answer['group']}", user="agent").json()["runs"]
        finally:
            runs.stop()
    assert [run["status"] for run in done] == ["succeeded"] * 3
    assert {run["group"] for run in done} == {answer["group"]} and len({run["id"] for run in done}) == 3
    assert sorted(run["id"] for run in listed) == sorted(run["id"] for run in done)
    branches = git("branch", "--list", "conduit/*", "--format=%(refname:short)", cwd=runs.project).split()
    assert sorted(branches) == sorted(f"conduit/{run['id']}" for run in done)
    assert len({str(runs.worktrees / run["id"]) for run in done}) == 3


def test_rm_rf_inside_a_run_is_denied_by_the_shipped_rules_and_the_reason_reaches_the_agent(tmp_path):
    def remove(request):
        return tool_use("Bash", {"command": f"rm -rf {worktree_of(request)}/keep", "description": "clean up"})
    with ScriptedModel([remove, text("Could not.")]) as model:
        runs = RunBroker(tmp_path, model, {"quick": QUICK})
        try:
            [run] = runs.submit("quick").json()["runs"]
            done = runs.finished(run["id"])
            events = runs.events(run["id"])
        finally:
            runs.stop()
    assert (runs.worktrees / run["id"] / "keep").exists(), "nothing was deleted"
    [decision] = [event["data"] for event in events if event["event"] == "tool.decision"]
    assert decision["outcome"] == "denied" and "recursive forced delete" in decision["by"], decision
    [(_, said, is_error)] = model.results()
    assert is_error and "recursive forced delete" in said, said
    assert done["status"] == "succeeded"


QUEUED_START = "description: Needs a person to start\npolicy: queue\ntimeout: 120\n"


def test_a_queue_policy_holds_the_start_until_approved_and_a_denial_ends_the_run_denied(tmp_path):
    with ScriptedModel([]) as model:
        runs = RunBroker(tmp_path, model, {"careful": QUEUED_START})
        try:
            answer = runs.submit("careful", "Please start.")
            assert answer.status_code == 202
            [run] = answer.json()["runs"]
            assert run["status"] == "pending" and run["request"]
            pending = wait_for_pending(runs.broker, "run", lambda record: record["id"] == run["request"])
            assert pending["params"] == {"policy": "careful", "project": "demo", "prompt": "Please start.", "fanout": 1}
            assert runs.run(run["id"])["status"] == "pending"
            decide(runs.broker, pending["id"], "approve")
            assert runs.finished(run["id"])["status"] == "succeeded"

            [refused] = runs.submit("careful", "Start again.").json()["runs"]
            decide(runs.broker, refused["request"], "deny", "not today")
            denied = runs.finished(refused["id"])
            audit = call(runs.broker, "GET", "/v1/audit?action=run&limit=100").json()["entries"]
        finally:
            runs.stop()
    assert denied["status"] == "denied" and "not today" in denied["reason"] and denied["attempts"] == []
    events = {entry["event"] for entry in audit}
    assert {"run.submitted", "run.decided", "run.attempt.started", "run.finished"} <= events, events


def test_an_auto_deny_policy_answers_403_and_unknown_policies_and_projects_400(tmp_path):
    with ScriptedModel([]) as model:
        runs = RunBroker(tmp_path, model, {"never": "description: Never\npolicy: auto-deny\n"})
        try:
            refused = runs.submit("never")
            unknown = runs.submit("nope")
            body = {"policy": "never", "project": "elsewhere", "prompt": "x"}
            elsewhere = call(runs.broker, "POST", "/v1/runs", body, user="agent")
            extra = call(runs.broker, "POST", "/v1/runs", {**body, "project": "demo", "path": "/"}, user="agent")
        finally:
            runs.stop()
    assert refused.status_code == 403 and refused.json()["runs"][0]["status"] == "denied"
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "unknown_run_policy"
    assert elsewhere.status_code == 400 and elsewhere.json()["error"]["code"] == "unknown_project"
    assert extra.status_code == 400 and extra.json()["error"]["code"] == "invalid_body"


def sleeper(request):
    # Claude Code blocks long `sleep`s itself; these wait forever (Bash's own timeout is 2 minutes).
    return tool_use("Bash", {"command": "tail -f /dev/null & tail -f /dev/null", "description": "wait"})


def test_cancel_leaves_no_process_of_the_run_alive_its_bash_commands_included(tmp_path):
    with ScriptedModel([sleeper, text("Woke up.")]) as model:
        runs = RunBroker(tmp_path, model, {"quick": QUICK})
        try:
            [run] = runs.submit("quick").json()["runs"]
            runs.until(run["id"], lambda state: len(marked_processes(state["id"])) >= 3, timeout=60,
                       what="the runner and its Bash command's sleeps to be running")
            cancelled = call(runs.broker, "POST", f"/v1/runs/{run['id']}/cancel", user="agent")
            assert cancelled.status_code == 200, cancelled.text
            done = runs.finished(run["id"])
            again = call(runs.broker, "POST", f"/v1/runs/{run['id']}/cancel", user="agent")
        finally:
            runs.stop()
    assert cancelled.json()["status"] == "cancelled" and done["status"] == "cancelled"
    assert done["reason"] == "cancelled by agent" and done["attempts"][0]["status"] == "cancelled"
    assert marked_processes(run["id"]) == [], "every process of the run is gone"
    assert again.status_code == 409


def test_a_restart_marks_an_active_run_interrupted_and_leaves_none_of_its_processes(tmp_path):
    with ScriptedModel([sleeper, text("Woke up.")]) as model:
        runs = RunBroker(tmp_path, model, {"quick": QUICK})
        [run] = runs.submit("quick").json()["runs"]
        runs.until(run["id"], lambda state: len(marked_processes(state["id"])) >= 3, timeout=60,
                   what="the run's processes to be running")
        runs.server.process.kill()
        runs.server.process.wait(timeout=10)
        runs.start()
        try:
            done = runs.run(run["id"])
        finally:
            runs.stop()
    assert done["status"] == "failed" and done["reason"] == "interrupted", done
    assert done["attempts"][0]["status"] == "failed" and done["attempts"][0]["reason"] == "interrupted"
    assert marked_processes(run["id"]) == []


def test_max_turns_is_honoured(tmp_path):
    policy = "description: One turn only\npolicy: auto-accept\ntimeout: 120\nmax_turns: 1\n"
    readme = lambda request: tool_use("Read", {"file_path": f"{worktree_of(request)}/README"})  # noqa: E731
    with ScriptedModel([readme, readme, text("done")]) as model:
        runs = RunBroker(tmp_path, model, {"short": policy})
        try:
            [run] = runs.submit("short").json()["runs"]
            done = runs.finished(run["id"])
        finally:
            runs.stop()
    assert done["status"] == "failed" and "error_max_turns" in done["reason"], done["reason"]


def test_the_attempts_credential_works_only_for_its_own_requests_while_it_runs_and_a_stranger_sees_no_run(tmp_path):
    with ScriptedModel([write("fix.txt", "fixed\n"), text("Fixed it.")]) as model:
        runs = RunBroker(tmp_path, model, {"checked": CHECKED}, queued_writes=True, users=["mallory"])
        try:
            [run] = runs.submit("checked").json()["runs"]
            pending = wait_for_pending(runs.broker, "tool-use", lambda record: record.get("run") == run["id"], timeout=60)
            keyid = f"run-{run['id']}-1"
            credential = json.loads((tmp_path / "attempts" / f"{run['id']}-1" / "secrets.json").read_text())
            runs.broker.secrets[keyid] = credential[keyid]
            own = call(runs.broker, "GET", f"/v1/actions/{pending['id']}", user=keyid)
            queue = call(runs.broker, "GET", "/v1/queue", user=keyid)
            start = call(runs.broker, "POST", "/v1/runs", {"policy": "checked", "project": "demo", "prompt": "x"}, user=keyid)
            approve = call(runs.broker, "POST", f"/v1/actions/{pending['id']}/approve", {}, user=keyid)
            stranger = call(runs.broker, "GET", f"/v1/runs/{run['id']}", user="mallory")
            events = call(runs.broker, "GET", f"/v1/runs/{run['id']}/events", user="mallory")
            decide(runs.broker, pending["id"], "approve")
            runs.finished(run["id"])
            from test_rfc9421_interop import prepare, send
            after = send(prepare(runs.broker, "GET", f"/v1/actions/{pending['id']}", user=keyid, nonce="after-the-attempt"))
        finally:
            runs.stop()
    assert own.status_code == 200 and own.json()["run"] == run["id"]
    assert queue.status_code == 403 and start.status_code == 403 and approve.status_code == 403
    assert stranger.status_code == 404 and events.status_code == 404
    assert after.status_code == 401 and after.json()["error"]["code"] == "unknown_key"


def test_a_message_to_a_finished_run_resumes_its_session_in_the_same_worktree(tmp_path):
    seen = {}

    def follow_up(request):
        seen["messages"] = json.dumps(request["messages"])
        return write("more.txt", "more\n")(request)
    with ScriptedModel([text("First."), follow_up, text("More done.")]) as model:
        runs = RunBroker(tmp_path, model, {"quick": QUICK})
        try:
            [run] = runs.submit("quick", "Do the task.").json()["runs"]
            assert runs.finished(run["id"])["status"] == "succeeded"
            answer = call(runs.broker, "POST", f"/v1/runs/{run['id']}/messages", {"prompt": "One more thing."}, user="agent")
            assert answer.status_code == 202, answer.text
            done = runs.until(run["id"], lambda state: len(state["attempts"]) == 2 and state["status"] == "succeeded")
        finally:
            runs.stop()
    first, second = done["attempts"]
    assert second["prompt"] == "One more thing." and second["session"] == first["session"]
    assert "Do the task." in seen["messages"] and "One more thing." in seen["messages"]
    assert git("show", f"conduit/{run['id']}:more.txt", cwd=runs.project) == "more"
    assert git("log", "--format=%s", f"main..conduit/{run['id']}", cwd=runs.project) == "conduit: attempt 2"


def test_ccc_client_run_prints_progress_on_stderr_the_record_on_stdout_and_exits_by_the_outcome(tmp_path):
    from conftest import BIN
    import subprocess
    failing = "description: Always fails its check\npolicy: auto-accept\ntimeout: 120\nchecks: [{name: never, run: [\"false\"]}]\n"
    with ScriptedModel([]) as model:
        runs = RunBroker(tmp_path, model, {"quick": QUICK, "failing": failing, "never": "description: Never runs\npolicy: auto-deny\n"})
        client = [BIN / "ccc-client", "--secrets", tmp_path / "secrets.json", "--user", "agent", "--server", runs.broker.url]

        def ccc(*arguments):
            return subprocess.run([client[0], arguments[0], *client[1:], *arguments[1:]], capture_output=True, text=True, timeout=180)
        try:
            done = ccc("run", "--policy", "quick", "--project", "demo", "Say", "hello.")
            failed = ccc("run", "--policy", "failing", "--project", "demo", "Try.")
            denied = ccc("run", "--policy", "never", "--project", "demo", "No.")
            unknown = ccc("run", "--policy", "nope", "--project", "demo", "No.")
            started = ccc("run", "--policy", "quick", "--project", "demo", "--fanout", "2", "--no-wait", "Twice.")
            group = json.loads(started.stdout)["group"]
            for run in json.loads(started.stdout)["runs"]:
                runs.finished(run["id"])
            listed = ccc("runs", "--group", group)
        finally:
            runs.stop()
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["status"] == "succeeded" and record["prompt"] == "Say hello."
    assert f"[{record['id'][:8]}] run.finished succeeded" in done.stderr and "attempt.started" in done.stderr
    assert failed.returncode == 1 and json.loads(failed.stdout)["reason"] == 'check "never" failed (exit code 1)'
    assert denied.returncode == 8 and json.loads(denied.stdout)["runs"][0]["status"] == "denied"
    assert unknown.returncode == 2 and "unknown_run_policy" in unknown.stdout
    assert started.returncode == 0 and len(json.loads(started.stdout)["runs"]) == 2
    assert listed.returncode == 0 and len(json.loads(listed.stdout)["runs"]) == 2


def test_the_readmes_running_agents_walk_through_works_as_written(tmp_path):
    """README "Running agents", step by step, with the scripted model for Claude Code's account and
    a free port for 3016; the person approves through the API what ccc-queue would show."""
    import shutil
    import socket
    import subprocess
    import time
    from conftest import BIN, REPOSITORY, make_home
    from claude_code import CLAUDE
    section = (REPOSITORY / "README.md").read_text().split("## Running agents", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith(("#", "export"))]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    commands = [line.replace("3016", port) for line in commands]
    [server_line] = [line for line in commands if line.startswith("ccc-server ")]
    [client_line] = [line for line in commands if line.startswith("ccc-client run ")]
    setup = commands[:commands.index(server_line)]
    inspect = commands[commands.index(client_line) + 1:]
    make_home(tmp_path)
    shutil.copytree(REPOSITORY / "actions", tmp_path / "actions")
    shutil.copytree(REPOSITORY / "runs", tmp_path / "runs")
    environment = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    for line in setup:
        subprocess.run(["bash", "-c", line], cwd=tmp_path, env=environment, check=True, capture_output=True)

    def fix(request):
        return tool_use("Write", {"file_path": f"{worktree_of(request)}/README", "content": "fixed\n"})
    with ScriptedModel([fix, text("Fixed.")]) as model:
        server_environment = {**environment, "ANTHROPIC_BASE_URL": model.url, "ANTHROPIC_API_KEY": "sk-conduit-test",
                              "CONDUIT_CLAUDE": str(CLAUDE), "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1"}
        log = open(tmp_path / "server.log", "w+")
        server = subprocess.Popen(["bash", "-c", "exec " + server_line], cwd=tmp_path, env=server_environment, stdout=log,
                                  stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while "listening on" not in (tmp_path / "server.log").read_text():
                assert time.monotonic() < deadline and server.poll() is None, (tmp_path / "server.log").read_text()
                time.sleep(0.05)
            from conftest import Broker
            broker = Broker(f"http://127.0.0.1:{port}", json.loads((tmp_path / "secrets.json").read_text()), tmp_path)
            stop = threading.Event()

            def person():
                while not stop.is_set():
                    for record in call(broker, "GET", "/v1/queue").json()["pending"]:
                        decide(broker, record["id"], "approve")
                    time.sleep(0.1)
            approver = threading.Thread(target=person, daemon=True)
            approver.start()
            done = subprocess.run(["bash", "-c", client_line], cwd=tmp_path, env=environment, capture_output=True, text=True,
                                  timeout=180)
            stop.set()
            approver.join(timeout=5)
        finally:
            server.terminate()
            server.wait(timeout=15)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}\n{(tmp_path / 'server.log').read_text()[-2000:]}"
    record = json.loads(done.stdout)
    assert record["status"] == "succeeded" and record["attempts"][0]["checks"][0]["name"] == "unit tests"
    assert "run.status pending" in done.stderr and "check.finished unit tests: passed" in done.stderr
    outputs = [subprocess.run(["bash", "-c", line.replace("RUN_ID", record["id"])], cwd=tmp_path, env=environment,
                              capture_output=True, text=True, check=True).stdout for line in inspect]
    assert "conduit: attempt 1" in outputs[0] and "+fixed" in outputs[1]
    assert (tmp_path / "data" / "worktrees" / record["id"]).is_dir(), "the worktree is beside the database"


def test_max_active_runs_holds_the_others_queued_until_a_slot_frees(tmp_path):
    with ScriptedModel([]) as model:
        runs = RunBroker(tmp_path, model, {"quick": QUICK}, extra_env={"CONDUIT_MAX_ACTIVE_RUNS": "1"})
        try:
            answer = runs.submit("quick", fanout=3).json()
            done = [runs.finished(run["id"]) for run in answer["runs"]]
        finally:
            runs.stop()
    assert [run["status"] for run in done] == ["succeeded"] * 3
    spans = sorted((run["attempts"][0]["started"], run["attempts"][0]["finished"]) for run in done)
    for (_, finished), (started, _) in zip(spans, spans[1:]):
        assert finished <= started, f"one slot: no two runs were active at once ({spans})"


def test_cancelling_a_waiting_run_withdraws_its_pending_tool_request(tmp_path):
    with ScriptedModel([write("fix.txt", "fixed\n"), text("Fixed it.")]) as model:
        runs = RunBroker(tmp_path, model, {"checked": CHECKED}, queued_writes=True)
        try:
            [run] = runs.submit("checked").json()["runs"]
            pending = wait_for_pending(runs.broker, "tool-use", lambda record: record.get("run") == run["id"], timeout=60)
            runs.until(run["id"], lambda state: state["status"] == "waiting")
            call(runs.broker, "POST", f"/v1/runs/{run['id']}/cancel", user="user")
            done = runs.finished(run["id"])
            request = call(runs.broker, "GET", f"/v1/actions/{pending['id']}").json()
        finally:
            runs.stop()
    assert done["status"] == "cancelled" and done["reason"] == "cancelled by user"
    assert request["status"] == "canceled", "nobody can approve a tool call of a cancelled run later"
    assert not (runs.worktrees / run["id"] / "fix.txt").exists()


def test_an_attempt_past_its_timeout_fails_with_every_process_killed(tmp_path):
    policy = "description: Three seconds\npolicy: auto-accept\ntimeout: 3\n"
    with ScriptedModel([sleeper, text("Woke up.")]) as model:
        runs = RunBroker(tmp_path, model, {"brief": policy})
        try:
            [run] = runs.submit("brief").json()["runs"]
            done = runs.finished(run["id"], timeout=60)
        finally:
            runs.stop()
    assert done["status"] == "failed" and done["reason"] == "timed out after 3 s", done["reason"]
    assert marked_processes(run["id"]) == []


def test_a_run_left_queued_by_a_crash_starts_after_the_restart(tmp_path):
    with ScriptedModel([sleeper]) as model:
        runs = RunBroker(tmp_path, model, {"quick": QUICK}, extra_env={"CONDUIT_MAX_ACTIVE_RUNS": "1"})
        first, second = runs.submit("quick", fanout=2).json()["runs"]
        runs.until(first["id"], lambda state: len(marked_processes(state["id"])) >= 3, timeout=60,
                   what="the first run to hold the only slot")
        assert runs.run(second["id"])["status"] == "queued"
        runs.server.process.kill()
        runs.server.process.wait(timeout=10)
        runs.start()
        try:
            interrupted = runs.run(first["id"])
            done = runs.finished(second["id"])
        finally:
            runs.stop()
    assert interrupted["status"] == "failed" and interrupted["reason"] == "interrupted"
    assert done["status"] == "succeeded", json.dumps(done, indent=1)
