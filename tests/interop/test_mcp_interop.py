"""`ccc-client mcp` driven by an independent MCP client: Python's `mcp` package spawns the real
binary over stdio against a live broker, lists the tools and calls them."""
import asyncio
import contextlib
import json
import threading

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from broker_api import decide, record, wait_for_pending
from conftest import free_port, BIN, REPOSITORY, make_home, start_broker, write_agent_actions

TIMEOUT = 60


@contextlib.asynccontextmanager
async def mcp_session(broker, *extra, server_url=None, errlog=None):
    """An initialised MCP session with `ccc-client mcp` running as the agent."""
    parameters = StdioServerParameters(
        command=str(BIN / "ccc-client"),
        args=["mcp", "--secrets", str(broker.home / "secrets.json"), "--user", "agent",
              "--server", server_url or broker.url, "--progress-interval", "1", *extra],
        env={"PATH": "/usr/bin:/bin"})
    with open(broker.home / "mcp-stderr.log", "a") as log:
        async with stdio_client(parameters, errlog=errlog or log) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                yield session


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, TIMEOUT))


def text_of(result):
    assert len(result.content) == 1 and result.content[0].type == "text"
    return result.content[0].text


def decide_in_background(broker, action, verdict, reason=None, text=None):
    """Plays the person in ccc-queue: waits for the pending request, then decides it."""
    def person():
        pending = wait_for_pending(broker, action, lambda r: text is None or r["params"].get("text") == text)
        decide(broker, pending["id"], verdict, reason)
    thread = threading.Thread(target=person, daemon=True)
    thread.start()
    return thread


def test_tools_list_offers_each_action_with_a_json_schema(agent_broker):
    async def scenario():
        async with mcp_session(agent_broker) as session:
            return (await session.list_tools()).tools
    tools = {tool.name: tool for tool in run(scenario())}
    assert set(tools) == {"say", "announce", "show-file", "permission_prompt"}
    say = tools["say"].inputSchema
    assert say["type"] == "object" and say["required"] == ["text"] and say["additionalProperties"] is False
    assert say["properties"]["text"]["type"] == "string"
    assert "What to print." in say["properties"]["text"]["description"]
    assert tools["say"].description == "Print a text on the host."
    assert "person" in tools["announce"].description
    path = tools["show-file"].inputSchema["properties"]["filename"]
    assert path["type"] == "string" and "/workspace" in path["description"]
    assert set(tools["permission_prompt"].inputSchema["required"]) == {"tool_name", "input"}


def test_an_auto_accepted_action_returns_its_output(agent_broker):
    async def scenario():
        async with mcp_session(agent_broker) as session:
            return await session.call_tool("say", {"text": "hello from MCP"})
    result = run(scenario())
    assert result.isError is False
    text = text_of(result)
    assert text.startswith("Completed say (request ")
    assert "hello from MCP" in text


def test_a_path_is_mapped_and_a_denying_rule_is_an_error(agent_broker):
    async def scenario():
        async with mcp_session(agent_broker) as session:
            shown = await session.call_tool("show-file", {"filename": "/workspace/notes.md"})
            secret = await session.call_tool("show-file", {"filename": "/workspace/secret.txt"})
            escape = await session.call_tool("show-file", {"filename": "/etc/passwd"})
            return shown, secret, escape
    shown, secret, escape = run(scenario())
    assert shown.isError is False
    assert str(agent_broker.home / "data" / "workspace" / "notes.md") in text_of(shown)
    assert secret.isError is True
    assert text_of(secret) == "Denied by rule 0 (auto-deny) of show-file (secrets stay private)"
    assert escape.isError is True and text_of(escape).startswith("Refused by the broker (400)")


def test_a_queued_action_waits_reports_progress_and_runs_once_approved(agent_broker):
    progress = []

    async def on_progress(value, total, message):
        progress.append((value, total, message))

    async def scenario():
        async with mcp_session(agent_broker) as session:
            person = decide_in_background(agent_broker, "announce", "approve", "go ahead", text="release 1.0")
            result = await session.call_tool("announce", {"text": "release 1.0"}, progress_callback=on_progress)
            person.join(5)
            return result
    result = run(scenario())
    assert result.isError is False, text_of(result)
    text = text_of(result)
    assert "approved by user: go ahead" in text
    assert "announced: release 1.0" in text
    assert progress, "no progress notification while waiting"
    assert "Waiting for a person" in progress[0][2]


def test_a_denied_action_is_an_error_with_the_approvers_words(agent_broker):
    reason = "Not during the demo, please — try again at 15:00."

    async def scenario():
        async with mcp_session(agent_broker) as session:
            person = decide_in_background(agent_broker, "announce", "deny", reason, text="now")
            result = await session.call_tool("announce", {"text": "now"})
            person.join(5)
            return result
    result = run(scenario())
    assert result.isError is True
    assert text_of(result) == f"Denied by user: {reason}"


def test_an_unanswered_request_is_withdrawn_when_the_wait_ends(agent_broker):
    async def scenario():
        async with mcp_session(agent_broker, "--timeout", "1") as session:
            return await session.call_tool("announce", {"text": "nobody is there"})
    result = run(scenario())
    assert result.isError is True
    text = text_of(result)
    assert text.startswith("No decision yet: request ")
    request_id = text.split("request ")[1].split(" ")[0]
    assert record(agent_broker, request_id)["status"] == "canceled"


def test_the_tool_name_is_the_action(agent_broker):
    async def scenario():
        async with mcp_session(agent_broker) as session:
            smuggled = await session.call_tool("say", {"text": "x", "action": "announce"})
            gate = await session.call_tool("tool-use", {"tool": "Bash", "input": {"command": "ls"}})
            return smuggled, gate
    smuggled, gate = run(scenario())
    assert smuggled.isError is True and "the tool's name is the action" in text_of(smuggled)
    assert gate.isError is True and text_of(gate) == "tool-use is not offered as a tool."


def permission(result):
    assert result.isError is False
    return json.loads(text_of(result))


def test_the_permission_prompt_tool_allows_denies_and_waits_for_a_person(agent_broker):
    async def scenario():
        async with mcp_session(agent_broker) as session:
            read = await session.call_tool(
                "permission_prompt", {"tool_name": "Read", "input": {"file_path": "/workspace/a.md"},
                                      "tool_use_id": "toolu_01"})
            wipe = await session.call_tool("permission_prompt",
                                           {"tool_name": "Bash", "input": {"command": "rm -rf /"}})
            person = decide_in_background(agent_broker, "tool-use", "approve")
            write = await session.call_tool(
                "permission_prompt", {"tool_name": "Write", "input": {"file_path": "/workspace/b.md", "content": "b"}})
            person.join(5)
            person = decide_in_background(agent_broker, "tool-use", "deny", "use the scratch directory")
            edit = await session.call_tool(
                "permission_prompt", {"tool_name": "Edit", "input": {"file_path": "/workspace/c.md"}})
            person.join(5)
            broken = await session.call_tool("permission_prompt", {"tool_name": "Read"})
            return read, wipe, write, edit, broken
    read, wipe, write, edit, broken = run(scenario())
    assert permission(read) == {"behavior": "allow", "updatedInput": {"file_path": "/workspace/a.md"}}
    denied = permission(wipe)
    assert denied["behavior"] == "deny" and "recursive forced delete" in denied["message"]
    assert permission(write) == {"behavior": "allow",
                                 "updatedInput": {"file_path": "/workspace/b.md", "content": "b"}}
    assert permission(edit) == {"behavior": "deny", "message": "Denied by user: use the scratch directory"}
    assert permission(broken)["behavior"] == "deny"


def test_it_keeps_working_across_a_broker_restart(tmp_path):
    make_home(tmp_path)
    actions = write_agent_actions(tmp_path / "actions")
    port = free_port()
    server, broker = start_broker(tmp_path, actions, port)

    async def scenario():
        nonlocal server
        async with mcp_session(broker) as session:
            before = await session.call_tool("say", {"text": "before"})
            server.stop()
            during = await session.call_tool("say", {"text": "during"})
            prompt = await session.call_tool("permission_prompt", {"tool_name": "Read", "input": {}})
            server, _ = start_broker(tmp_path, actions, port)
            after = await session.call_tool("say", {"text": "after"})
            return before, during, prompt, after
    try:
        before, during, prompt, after = run(scenario())
    finally:
        server.stop()
    assert before.isError is False
    assert during.isError is True and "cannot reach" in text_of(during)
    assert permission(prompt)["behavior"] == "deny"
    assert after.isError is False and "after" in text_of(after)


def test_a_failed_handler_tells_the_agent_its_own_reason(tmp_path):
    """The shipped edit-file on a host without a desktop: the tool result carries the handler's
    words (the last line it wrote to stderr), not only 'failed' and an exit code."""
    make_home(tmp_path)
    actions = tmp_path / "actions"
    actions.mkdir()
    (actions / "edit-file.yaml").write_text((REPOSITORY / "actions" / "edit-file.yaml").read_text())
    desktop = tmp_path / "no-desktop"
    desktop.mkdir()
    (desktop / "xdg-mime").write_text("#!/bin/sh\nexit 0\n")  # knows no text editor
    (desktop / "xdg-mime").chmod(0o755)
    (tmp_path / "data" / "workspace" / "notes.md").write_text("notes\n")
    server, broker = start_broker(tmp_path, actions, env={"PATH": f"{desktop}:/usr/bin:/bin"})
    try:
        async def scenario():
            async with mcp_session(broker) as session:
                return await session.call_tool("edit-file", {"filename": "notes.md"})
        result = run(scenario())
    finally:
        server.stop()
    assert result.isError is True
    text = text_of(result)
    assert text.startswith(
        "Failed: exited with status 127: edit-file: no default text editor (xdg-mime query default text/plain)"), text
