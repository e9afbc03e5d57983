"""A broker that runs the real Claude Code (the pinned wheel's binary) on a real git project, with
a scripted model: what the supervised-run tests share."""
import json
import os
import pathlib
import re
import subprocess
import time

from broker_api import call
from claude_code import CLAUDE
from conftest import BIN, REPOSITORY, make_home, start_broker

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

# The shipped tool-use rules, plus what these tests let through without a person: writing a
# file inside a run's worktree, and commands that wait forever (`tail -f /dev/null`).
TEST_RULES = """  - policy: auto-accept
    description: writing inside a run's worktree (tests)
    match:
      tool: {glob: Write}
      input.file_path: {regex: '.*/worktrees/[0-9a-f-]{36}/[a-z0-9.]+'}
  - policy: auto-accept
    description: waiting forever (tests)
    match:
      tool: {glob: Bash}
      input.command: {regex: 'tail -f /dev/null( & tail -f /dev/null)*'}
"""


def git(*arguments, cwd):
    environment = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                   "GIT_COMMITTER_EMAIL": "t@t"}
    done = subprocess.run(["git", *arguments], cwd=cwd, env=environment, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def make_project(path):
    path.mkdir()
    git("init", "--quiet", "-b", "main", cwd=path)
    (path / "README").write_text("a project\n")
    (path / "keep").write_text("do not delete\n")
    git("add", ".", cwd=path)
    git("commit", "--quiet", "-m", "first", cwd=path)
    return path


def write_policy(runs, name, text):
    runs.mkdir(exist_ok=True)
    (runs / f"{name}.yaml").write_text(text)


class RunBroker:
    """`ccc-server` with runs on: policies in `home/runs`, the project `demo`, the model at `model.url`."""

    def __init__(self, home, model, policies, *, queued_writes=False, extra_env=None, users=()):
        make_home(home)
        for user in users:
            subprocess.run([BIN / "ccc-keygen", "--add", user], cwd=home, check=True, capture_output=True)
        self.home = home
        self.project = make_project(home / "demo")
        self.worktrees = home / "data" / "worktrees"
        actions = home / "actions"
        actions.mkdir()
        shipped = (REPOSITORY / "actions" / "tool-use.yaml").read_text()
        rules = "" if queued_writes else TEST_RULES
        (actions / "tool-use.yaml").write_text(shipped.replace("rules:\n", "rules:\n" + rules, 1))
        for name, text in policies.items():
            write_policy(home / "runs", name, text)
        (home / "claude-home").mkdir()
        self.env = {
            "HOME": str(home / "claude-home"), "ANTHROPIC_BASE_URL": model.url, "ANTHROPIC_API_KEY": "sk-conduit-test",
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin",
            "CONDUIT_RUNS": str(home / "runs"), "CONDUIT_PROJECTS": f"demo={self.project}", "CONDUIT_CLAUDE": str(CLAUDE),
            "CONDUIT_WORKTREES": str(self.worktrees), **(extra_env or {}),
        }
        self.start()

    def start(self, port=0):
        self.server, self.broker = start_broker(self.home, self.home / "actions", port=port, env=self.env)
        return self.broker

    def stop(self):
        self.server.stop()

    def submit(self, policy="quick", prompt="Do the task.", fanout=None, user="agent"):
        body = {"policy": policy, "project": "demo", "prompt": prompt}
        if fanout is not None:
            body["fanout"] = fanout
        return call(self.broker, "POST", "/v1/runs", body, user=user)

    def run(self, run_id, user="agent"):
        return call(self.broker, "GET", f"/v1/runs/{run_id}", user=user).json()

    def until(self, run_id, predicate, timeout=120, what="the run to get there"):
        deadline = time.monotonic() + timeout
        run = None
        while time.monotonic() < deadline:
            run = self.run(run_id)
            if predicate(run):
                return run
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the run: {json.dumps(run, indent=1)[:3000]}\n"
                             f"server log: {(self.home / 'server.log').read_text()[-3000:]}")

    def finished(self, run_id, timeout=120):
        return self.until(run_id, lambda run: run["status"] in ("succeeded", "failed", "cancelled", "denied", "expired"),
                          timeout, "the run to finish")

    def events(self, run_id, last_event_id=None, user="agent"):
        """The run's event stream, read to its end (it ends after run.finished)."""
        import secrets as random
        from test_rfc9421_interop import prepare, send
        prepared = prepare(self.broker, "GET", f"/v1/runs/{run_id}/events", None, user=user, nonce=random.token_urlsafe(16))
        if last_event_id is not None:
            prepared.headers["Last-Event-ID"] = str(last_event_id)
        response = send(prepared)
        assert response.status_code == 200, response.text
        events = []
        for block in response.text.split("\n\n"):
            fields = dict(line.split(": ", 1) for line in block.splitlines() if line and not line.startswith(":"))
            if "data" in fields:
                events.append({"id": int(fields["id"]), "event": fields["event"], **json.loads(fields["data"])})
        return events


def worktree_of(request):
    """The worktree a run's model request is about (Claude Code says its working directory)."""
    match = re.search(r"(/\S*/worktrees/" + UUID + ")", json.dumps(request))
    assert match, "no worktree path in the model request"
    return match.group(1)


def marked_processes(run_id):
    """Processes whose environment carries the run's marker (what must not outlive it)."""
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"CONDUIT_RUN={run_id}".encode() in environ:
            found.append(int(entry.name))
    return found
