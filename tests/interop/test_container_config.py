"""The agent container's configuration: docker-compose.yml, its Dockerfile and the Claude Code
settings it provisions, checked against what the broker and ccc-client actually do.

With a Docker CLI that has compose, the file is validated by `docker compose config`; without one
(this machine has no compose plugin) it is parsed as YAML and checked the same way."""
import json
import pathlib
import re
import shutil
import subprocess

import pytest
import yaml

from conftest import BIN, REPOSITORY

COMPOSE = REPOSITORY / "docker-compose.yml"
AGENT = REPOSITORY / "docker" / "agent"


def compose_command():
    """`docker compose` (the plugin), else Debian's `docker-compose` (1.29), else None."""
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.fixture(scope="module")
def compose(tmp_path_factory):
    """The compose model: as `docker compose config` (or `docker-compose config`) resolves it, or as
    parsed (defaults applied) where neither is installed."""
    command = compose_command()
    if command:
        project = tmp_path_factory.mktemp("compose")
        shutil.copy(COMPOSE, project / "docker-compose.yml")
        shutil.copytree(REPOSITORY / "docker", project / "docker")
        (project / "agent-secrets.json").write_text("{}")
        resolved = subprocess.run(command + ["config"], cwd=project, capture_output=True, text=True,
                                  env={"PATH": "/usr/bin:/bin"})
        assert resolved.returncode == 0, f"{' '.join(command)} config refused docker-compose.yml: {resolved.stderr}"
        return yaml.safe_load(resolved.stdout), project
    text = re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: m.group(2), COMPOSE.read_text())
    return yaml.safe_load(text), REPOSITORY


def mounts(service):
    result = {}
    for volume in service["volumes"]:
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
        else:
            source, target = volume["source"], volume["target"]
        result[target] = source
    return result


def test_there_is_one_agent_service_built_from_the_repositorys_dockerfile(compose):
    model, project = compose
    assert set(model["services"]) == {"agent"}
    build = model["services"]["agent"]["build"]
    dockerfile = pathlib.Path(project, build["context"], build["dockerfile"]).resolve()
    assert dockerfile.relative_to(pathlib.Path(project).resolve()) == pathlib.Path("docker/agent/Dockerfile")
    assert (AGENT / "Dockerfile").is_file()


def test_the_volumes_are_the_brokers_default_mapping_under_one_host_directory(compose):
    model, project = compose
    volumes = mounts(model["services"]["agent"])
    assert set(volumes) == {"/workspace", "/home/claude"}
    workspace = pathlib.Path(project, volumes["/workspace"]).resolve()
    home = pathlib.Path(project, volumes["/home/claude"]).resolve()
    # ccc-server's default volumes (PathMapper.defaultVolumes): ./data/workspace and ./data/claude-home.
    assert workspace.name == "workspace" and home.name == "claude-home"
    assert workspace.parent == home.parent == pathlib.Path(project, "data").resolve()
    help_text = subprocess.run([BIN / "ccc-server", "serve", "--help"], capture_output=True, text=True).stdout
    assert "./data/workspace:/workspace and ./data/claude-home:/home/claude" in " ".join(help_text.split())


def test_only_the_agents_secrets_are_mounted_read_only_as_a_compose_secret(compose):
    model, _ = compose
    agent = model["services"]["agent"]
    names = [s if isinstance(s, str) else s["source"] for s in agent["secrets"]]
    assert names == ["agent-secrets"]
    assert pathlib.Path(model["secrets"]["agent-secrets"]["file"]).name == "agent-secrets.json"
    assert agent["environment"]["CCC_SECRETS"] == "/run/secrets/agent-secrets"
    assert agent["environment"]["CCC_USER"] == "agent"


def test_the_broker_is_reached_on_the_host_through_host_gateway(compose):
    model, _ = compose
    agent = model["services"]["agent"]
    assert agent["environment"]["CCC_SERVER"] == "http://host.docker.internal:3015"
    hosts = agent["extra_hosts"]
    if isinstance(hosts, dict):
        assert hosts["host.docker.internal"] in ("host-gateway", ["host-gateway"])
    else:
        assert any(re.fullmatch(r"host\.docker\.internal[:=]host-gateway", entry) for entry in hosts)


def test_the_dockerfile_copies_only_files_that_exist_and_never_the_secrets():
    dockerfile = (AGENT / "Dockerfile").read_text()
    for line in dockerfile.splitlines():
        if line.startswith("COPY") and "--from=" not in line:
            for source in line.split()[1:-1]:
                assert (REPOSITORY / source).exists(), f"{source} in: {line}"
    assert "--static-swift-stdlib" in dockerfile
    assert "/etc/claude-code/" in dockerfile
    assert re.search(r"^USER claude$", dockerfile, re.M), "Claude Code must not run as root"
    ignored = (REPOSITORY / ".dockerignore").read_text().split()
    assert {"secrets.json", "agent-secrets.json", "data", ".build"} <= set(ignored)


def test_claude_code_runs_the_hook_on_every_tool_with_the_timeouts_in_step():
    settings = json.loads((AGENT / "managed-settings.json").read_text())
    (entry,) = settings["hooks"]["PreToolUse"]
    assert entry["matcher"] == "*"
    (hook,) = entry["hooks"]
    assert hook["type"] == "command" and hook["command"] == "ccc-client hook"
    help_text = subprocess.run([BIN / "ccc-client", "hook", "--help"], capture_output=True, text=True).stdout
    client_timeout = int(re.search(r"--timeout <timeout>.*?\(default:\s*(\d+)\)", help_text, re.S).group(1))
    expires = yaml.safe_load((REPOSITORY / "actions" / "tool-use.yaml").read_text())["expires"]
    # The broker answers "expired" first, the client gives up (exit 2) next, Claude Code's timeout last.
    assert expires < client_timeout < hook["timeout"] <= 600


def test_the_mcp_server_is_named_conduit_for_the_permission_prompt_tool():
    servers = json.loads((AGENT / "managed-mcp.json").read_text())["mcpServers"]
    assert servers == {"conduit": {"type": "stdio", "command": "ccc-client", "args": ["mcp"]}}
    # Claude Code names its tools mcp__<server>__<tool>: the README's --permission-prompt-tool and
    # tool-use's rule for Conduit's own tools depend on the name "conduit".
    assert "mcp__conduit__" in (REPOSITORY / "actions" / "tool-use.yaml").read_text()
    assert "mcp__conduit__permission_prompt" in (REPOSITORY / "README.md").read_text()


def test_the_image_refuses_to_make_the_agent_root():
    """CONDUIT_UID=$(id -u) as root would make `useradd --uid 0` fail obscurely (or run the agent as
    root): the Dockerfile's own check, run by a shell, refuses 0 with the fix and lets 1000 pass."""
    dockerfile = (REPOSITORY / "docker" / "agent" / "Dockerfile").read_text().replace("\\\n", "\n")
    start = dockerfile.index('if [ "${CONDUIT_UID}" = 0 ]')
    check = dockerfile[start:dockerfile.index("fi", start) + 2]
    refused = subprocess.run(["sh", "-c", check], env={"CONDUIT_UID": "0", "PATH": "/usr/bin:/bin"},
                             capture_output=True, text=True)
    assert refused.returncode == 1 and "must not run as root" in refused.stderr and "CONDUIT_UID=1000" in refused.stderr
    allowed = subprocess.run(["sh", "-c", check], env={"CONDUIT_UID": "1000", "PATH": "/usr/bin:/bin"},
                             capture_output=True, text=True)
    assert allowed.returncode == 0, allowed.stderr
