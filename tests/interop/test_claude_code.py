"""The real Claude Code CLI (2.1.332, from the pinned claude-agent-sdk wheel), headless, against a
scripted model on loopback and the real ccc-server with the shipped tool-use action: every tool call
it makes passes `ccc-client hook` (PreToolUse), and the broker's actions are its MCP tools."""
import contextlib
import subprocess
import threading

import pytest

from broker_api import call, decide, wait_for_pending
from claude_code import CLAUDE, claude_version, run_claude
from conftest import BIN, REPOSITORY, free_port, make_home, start_broker
from impostor import impostor_server
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


@pytest.mark.parametrize("where", ["nothing listens", "an impostor answers unsigned"])
def test_without_a_genuine_broker_the_call_does_not_run(home, where):
    marker = home / "project" / "ran.txt"
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(impostor_server()) if where == "an impostor answers unsigned" \
            else f"http://127.0.0.1:{free_port()}"
        with ScriptedModel([tool_use("Bash", {"command": f"touch {marker}", "description": "touch"}), text("ok")]) as model:
            code, result, stderr = agent(home, model, url)
    [(_, content, is_error)] = model.results()
    assert is_error, content
    assert not marker.exists()


def approve_every(broker, count):
    """Approves the next `count` pending tool-use requests, as they come; returns their records."""
    approved = []

    def approve():
        for _ in range(count):
            pending = wait_for_pending(broker, "tool-use", lambda r: r["id"] not in {a["id"] for a in approved}, timeout=60)
            approved.append(pending)
            decide(broker, pending["id"], "approve")
    thread = threading.Thread(target=approve, daemon=True)
    thread.start()
    return thread, approved


def test_a_one_mebibyte_write_and_an_edit_go_through_once_approved(home, broker):
    target = home / "project" / "big.txt"
    content = "first line\nsecond line\n" + ("0123456789abcdef" * 64 + "\n") * 1024  # 1 MiB and a little
    thread, approved = approve_every(broker, 2)
    with ScriptedModel([
        tool_use("Write", {"file_path": str(target), "content": content}),
        tool_use("Read", {"file_path": str(target), "limit": 2}),
        tool_use("Edit", {"file_path": str(target), "old_string": "first line\nsecond line", "new_string": "edited first two lines"}),
        text("written"),
    ]) as model:
        code, result, stderr = agent(home, model, broker.url, timeout=180)
    thread.join(5)
    results = model.results()
    assert [is_error for _, _, is_error in results] == [False, False, False], [(c[:300], e) for _, c, e in results]
    assert [record["params"]["tool"] for record in approved] == ["Write", "Edit"]
    assert len(approved[0]["params"]["input"]["content"]) == len(content), "the whole file reached the approver"
    assert target.read_text().startswith("edited first two lines\n")


def test_a_subagents_tool_calls_are_gated_the_same_way(home, broker):
    victim = home / "project" / "keep"
    victim.mkdir()
    # The Agent call itself is queued (a person decides to start a subagent); the subagent's rm -rf
    # is refused by the rule, as the main agent's would be.
    thread, approved = approve_every(broker, 1)
    with ScriptedModel([
        tool_use("Agent", {"description": "Clean the project", "prompt": "Remove the keep directory.",
                           "subagent_type": "general-purpose"}),
        tool_use("Bash", {"command": f"rm -rf {victim}", "description": "remove"}),  # the subagent's
        text("could not remove it"),  # the subagent's answer
        text("the subagent could not"),  # the main agent's
    ]) as model:
        code, result, stderr = agent(home, model, broker.url, timeout=180)
    thread.join(5)
    assert approved and approved[0]["params"]["tool"] == "Agent"
    assert victim.exists()
    denied = [content for _, content, is_error in model.results() if is_error]
    assert any("recursive forced delete" in content for content in denied), model.results()


@pytest.fixture
def mcp_broker(home):
    """The broker with the shipped tool-use action and two harmless actions of its own."""
    from conftest import AGENT_ACTIONS
    for name in ("say.yaml", "announce.yaml"):
        (home / "actions" / name).write_text(AGENT_ACTIONS[name])
    server, broker = start_broker(home, home / "actions", env={"PATH": "/usr/bin:/bin"})
    yield broker
    server.stop()


def test_the_brokers_actions_are_mcp_tools_found_through_tool_search(home, mcp_broker):
    seen = {}

    def call_say(request):
        seen["offered"] = "mcp__conduit__say" in str(request["messages"]) or any(
            tool["name"] == "mcp__conduit__say" for tool in request["tools"])
        return tool_use("mcp__conduit__say", {"text": "hello from Claude Code"})
    with ScriptedModel([tool_use("ToolSearch", {"query": "select:mcp__conduit__say,mcp__conduit__announce"}), call_say,
                        text("said")]) as model:
        code, result, stderr = agent(home, model, mcp_broker.url)
    assert seen.get("offered"), "the model was told of mcp__conduit__say"
    results = model.results()
    assert len(results) == 2, results
    (_, found, _), (_, said, is_error) = results
    assert "mcp__conduit__say" in found, found
    assert not is_error and "hello from Claude Code" in said and said.startswith("Completed say"), said


def test_a_queued_action_called_as_a_tool_waits_and_returns_once_approved(home, mcp_broker):
    def approve_announce():
        pending = wait_for_pending(mcp_broker, "announce", timeout=60)
        decide(mcp_broker, pending["id"], "approve", "go ahead")
    thread = threading.Thread(target=approve_announce, daemon=True)
    thread.start()
    with ScriptedModel([tool_use("ToolSearch", {"query": "select:mcp__conduit__announce"}),
                        tool_use("mcp__conduit__announce", {"text": "release 1.0"}), text("announced")]) as model:
        code, result, stderr = agent(home, model, mcp_broker.url, timeout=180)
    thread.join(5)
    (_, _, _), (_, announced, is_error) = model.results()
    assert not is_error and "announced: release 1.0" in announced and "approved by user: go ahead" in announced, announced


def test_the_permission_prompt_tool_alone_allows_denies_and_waits_for_a_person(home):
    # The shipped action, plus one rule that accepts a harmless command Claude Code asks about (its
    # own read-only commands, such as `ls`, it runs without asking anyone).
    shipped = (REPOSITORY / "actions" / "tool-use.yaml").read_text()
    (home / "actions" / "tool-use.yaml").write_text(shipped.replace("rules:\n", (
        "rules:\n  - policy: auto-accept\n    description: the test's harmless command\n"
        "    match:\n      tool: {glob: Bash}\n      input.command: {regex: 'touch [^;&|]*/allowed.txt'}\n"), 1))
    server, broker = start_broker(home, home / "actions", env={"PATH": "/usr/bin:/bin"})
    victim = home / "project" / "keep"
    victim.mkdir()
    allowed, marker = home / "project" / "allowed.txt", home / "project" / "approved.txt"
    thread, seen = person(broker, "approve", predicate=lambda r: "approved.txt" in str(r["params"]), check=lambda: marker.exists())
    try:
        with ScriptedModel([
            tool_use("Bash", {"command": "ls", "description": "list"}),
            tool_use("Bash", {"command": f"touch {allowed}", "description": "touch"}),
            tool_use("Bash", {"command": f"rm -rf {victim}", "description": "remove"}),
            tool_use("Bash", {"command": f"echo approved > {marker}", "description": "write"}),
            text("done"),
        ]) as model:
            code, result, stderr = agent(home, model, broker.url, hook=False, timeout=180,
                                         extra=["--permission-prompt-tool", "mcp__conduit__permission_prompt"])
        thread.join(5)
        listed, touched, removed, written = model.results()
        decided = [(entry["detail"]["params"]["input"]["command"], entry["outcome"]) for entry in records(broker)]
    finally:
        server.stop()
    assert not listed[2] and not touched[2], (listed, touched)
    assert allowed.exists()
    assert removed[2] and "recursive forced delete" in removed[1], removed
    assert victim.exists()
    assert seen.get("checked") is False and not written[2], written
    assert marker.read_text() == "approved\n"
    # Every call but Claude Code's own read-only `ls` was asked of the broker, through the MCP tool.
    assert [command.split()[0] for command, _ in decided] == ["touch", "rm", "echo"], decided
