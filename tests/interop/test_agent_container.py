"""The agent image, built offline (scripts/agent-image.sh --offline) and brought up through
docker-compose.yml with the test override (tests/interop/compose.test.yml: host networking, so
every packet goes to loopback), running the real Claude Code inside against the scripted model and
the real ccc-server on the host.

Skipped, with the reason, where no Docker engine answers (`docker info`); scripts/test.sh starts
Debian's dockerd when it can."""
import os
import shutil
import subprocess
import time

import pytest

from conftest import BIN, REPOSITORY, make_home, start_broker
from scripted_model import ScriptedModel, text, tool_use

UID = 1000  # the image's claude user (scripts/agent-image.sh's default CONDUIT_UID)
OVERRIDE = REPOSITORY / "tests" / "interop" / "compose.test.yml"


def docker_engine():
    if shutil.which("docker") is None:
        return "no docker client"
    info = subprocess.run(["docker", "info"], capture_output=True, text=True)
    return None if info.returncode == 0 else f"no Docker engine answers: {info.stderr.strip()[:200]}"


def compose_command():
    if subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    return ["docker-compose"] if shutil.which("docker-compose") else None


missing = docker_engine() or (None if compose_command() else "neither docker compose nor docker-compose is installed")
pytestmark = pytest.mark.skipif(missing is not None, reason=f"the agent container tests need Docker: {missing}")


@pytest.fixture(scope="module")
def image():
    """conduit-agent, built offline once for the module (minutes on a first run: debootstrap, a
    release ccc-client, the image)."""
    started = time.monotonic()
    # The debug ccc-client the suite already built (with its Swift runtime libraries): a release
    # build with the standard library linked in, what --offline alone makes, takes tens of minutes here.
    built = subprocess.run([REPOSITORY / "scripts" / "agent-image.sh", "--offline", "--client", BIN / "ccc-client"], cwd=REPOSITORY,
                           capture_output=True, text=True, timeout=3600)
    assert built.returncode == 0, f"scripts/agent-image.sh --offline failed:\n{built.stdout[-3000:]}\n{built.stderr[-3000:]}"
    print(f"agent image built in {time.monotonic() - started:.0f} s")
    return "conduit-agent"


@pytest.fixture
def home(tmp_path):
    """The host's side: secrets, the shared directories (owned by the container's user), the
    shipped tool-use and edit-file actions, and a stand-in desktop for edit-file."""
    make_home(tmp_path)
    subprocess.run([BIN / "ccc-keygen", "--filter", "agent", "--output", "agent-secrets.json"], cwd=tmp_path,
                   check=True, capture_output=True)
    actions = tmp_path / "actions"
    actions.mkdir()
    for name in ("tool-use.yaml", "edit-file.yaml"):
        (actions / name).write_text((REPOSITORY / "actions" / name).read_text())
    desktop = tmp_path / "desktop"
    desktop.mkdir()
    (desktop / "xdg-mime").write_text("#!/bin/sh\necho org.example.Editor.desktop\n")
    (desktop / "gtk-launch").write_text(f"#!/bin/sh\nshift\nprintf '%s\\n' \"$@\" >> {desktop}/opened.log\n")
    for tool in ("xdg-mime", "gtk-launch"):
        (desktop / tool).chmod(0o755)
    for path in [tmp_path / "data", tmp_path / "data" / "workspace", tmp_path / "data" / "claude-home",
                 tmp_path / "agent-secrets.json"]:
        os.chown(path, UID, UID)
    return tmp_path


def compose_run(home, broker_url, model_url, *command, timeout=300):
    environment = {
        "PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "CONDUIT_DATA": str(home / "data"), "CONDUIT_UID": str(UID),
        "CONDUIT_TEST_BROKER": broker_url, "CONDUIT_TEST_MODEL": model_url,
        "CONDUIT_TEST_SECRETS": str(home / "agent-secrets.json"), "COMPOSE_PROJECT_NAME": "conduit-test",
    }
    arguments = compose_command() + ["-f", str(REPOSITORY / "docker-compose.yml"), "-f", str(OVERRIDE), "run", "--rm", "-T",
                                     "agent", *command]
    return subprocess.run(arguments, cwd=REPOSITORY, env=environment, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def broker(home):
    server, broker = start_broker(home, home / "actions", env={"PATH": f"{home / 'desktop'}:/usr/bin:/bin"})
    yield broker
    server.stop()


def test_the_secrets_file_is_readable_by_the_container_user_and_nobody_else(image, home, broker):
    shown = compose_run(home, broker.url, "http://127.0.0.1:9", "sh", "-c",
                        "id -u; stat -c '%a %u' /run/secrets/agent-secrets; head -c 1 /run/secrets/agent-secrets; echo;"
                        " ls /etc/claude-code; ccc-client --version 2>/dev/null || ccc-client --help | head -1")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == str(UID), "the agent is not root"
    assert lines[1] == f"600 {UID}", "only its owner, the container's user, may read it"
    assert lines[2] == "{", "and that user can"
    assert "managed-settings.json" in shown.stdout and "managed-mcp.json" in shown.stdout


def test_inside_the_container_rm_rf_of_the_workspace_is_denied_and_it_stays_intact(image, home, broker):
    (home / "data" / "workspace" / "keep.txt").write_text("keep\n")
    with ScriptedModel([tool_use("Bash", {"command": "rm -rf /workspace", "description": "clean"}), text("ok")]) as model:
        done = compose_run(home, broker.url, model.url, "claude", "-p", "Do the task.", "--output-format", "json")
    results = model.results()
    assert model.problems == [] and results, f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    [(_, content, is_error)] = results
    assert is_error and "recursive forced delete" in content, content
    assert (home / "data" / "workspace" / "keep.txt").read_text() == "keep\n"


def test_an_mcp_call_of_edit_file_opens_the_mapped_host_file(image, home, broker):
    (home / "data" / "workspace" / "notes.md").write_text("notes\n")
    with ScriptedModel([tool_use("ToolSearch", {"query": "select:mcp__conduit__edit-file"}),
                        tool_use("mcp__conduit__edit-file", {"filename": "/workspace/notes.md"}), text("opened")]) as model:
        done = compose_run(home, broker.url, model.url, "claude", "-p", "Open the notes.", "--output-format", "json")
    results = model.results()
    assert model.problems == [] and len(results) == 2, f"{results}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    _, opened, is_error = results[1]
    assert not is_error and opened.startswith("Completed edit-file"), opened
    assert (home / "desktop" / "opened.log").read_text() == f"{home / 'data' / 'workspace' / 'notes.md'}\n"
