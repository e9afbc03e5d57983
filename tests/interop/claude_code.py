"""Runs the real Claude Code CLI (the binary in the pinned claude-agent-sdk wheel) headless against a
`ScriptedModel`, wired to Conduit the way the README tells users: the managed settings' PreToolUse
hook (`ccc-client hook`) and the managed MCP file (`ccc-client mcp` as the server `conduit`)."""
import json
import os
import pathlib
import subprocess

import claude_agent_sdk

from conftest import BIN, REPOSITORY
from scripted_model import CLAUDE_CODE_VERSION

CLAUDE = pathlib.Path(claude_agent_sdk.__file__).parent / "_bundled" / "claude"
MANAGED = REPOSITORY / "docker" / "agent"


def claude_version():
    return subprocess.run([str(CLAUDE), "--version"], capture_output=True, text=True, timeout=60).stdout.split()[0]


def run_claude(home, model, prompt, broker_url, secrets, *, hook=True, mcp=True, extra=(), timeout=120, cwd=None):
    """`claude -p PROMPT --output-format json` as the agent; returns (exit code, the JSON result or
    None, stderr). Fails with what the model saw when it does not finish within `timeout`."""
    claude_home = home / "claude-home"
    claude_home.mkdir(exist_ok=True)
    arguments = [str(CLAUDE), "-p", prompt, "--output-format", "json"]
    if hook:
        arguments += ["--settings", str(MANAGED / "managed-settings.json")]
    if mcp:
        arguments += ["--mcp-config", str(MANAGED / "managed-mcp.json"), "--strict-mcp-config"]
    arguments += list(extra)
    environment = {
        "PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(claude_home), "ANTHROPIC_BASE_URL": model.url,
        "ANTHROPIC_API_KEY": "sk-conduit-test", "CCC_SERVER": broker_url, "CCC_SECRETS": str(secrets),
        "CCC_USER": "agent", "DISABLE_AUTOUPDATER": "1", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
        "DISABLE_TELEMETRY": "1", "LANG": "C.UTF-8",
    }
    try:
        done = subprocess.run(arguments, cwd=cwd or home, env=environment, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        raise AssertionError(
            f"Claude Code {CLAUDE_CODE_VERSION} did not finish within {timeout} s; the model saw "
            f"{len(model.requests)} request(s), problems {model.problems}; stderr: {expired.stderr!r}") from None
    assert model.problems == [], f"the scripted model did not understand Claude Code: {model.problems}"
    try:
        result = json.loads(done.stdout)
    except ValueError:
        result = None
    return done.returncode, result, done.stderr
