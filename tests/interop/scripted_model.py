"""A scripted stand-in for the Anthropic Messages API, on 127.0.0.1, for driving the real Claude
Code CLI (`ANTHROPIC_BASE_URL`) in tests: each test scripts the tool calls the "model" makes and
reads back what Claude Code sent (tool results, the tool list, the system prompt).

Written against Claude Code 2.1.332 (claude-agent-sdk 0.2.189, pinned in requirements.txt). What
that version does, as seen here:
- `POST /v1/messages?beta=true` with `stream: true`; the answer is server-sent events
  (`message_start`, `content_block_start`, `content_block_delta` — `text_delta` or
  `input_json_delta` — `content_block_stop`, `message_delta` with the `stop_reason`, `message_stop`).
- `…/count_tokens` may be asked; it gets `{"input_tokens": …}`.
- MCP tools are deferred behind its `ToolSearch` tool: `mcp__conduit__*` names reach the model in
  the request's text, not in `tools`.
- A tool's result comes back as a `tool_result` block in the next request's last user message; a
  ToolSearch result is a list of `{"type": "tool_reference", "tool_name": …}` parts.

A request this module does not understand (not streaming, no messages) is answered 400 and kept in
`problems`, so a change of protocol fails a test with that message instead of hanging it.
"""
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from impostor import send_json

CLAUDE_CODE_VERSION = "2.1.332"


class Reply:
    """What the model answers to one request of the conversation."""

    def __init__(self, blocks, stop_reason):
        self.blocks = blocks
        self.stop_reason = stop_reason


_ids = itertools.count(1)


def tool_use(name, tool_input):
    """The model calls tool `name` with `tool_input`."""
    return Reply([{"type": "tool_use", "id": f"toolu_{next(_ids):04d}", "name": name, "input": tool_input}], "tool_use")


def text(words):
    """The model answers in words and ends its turn."""
    return Reply([{"type": "text", "text": words}], "end_turn")


def _events(reply, model):
    yield "message_start", {"type": "message_start", "message": {
        "id": f"msg_{next(_ids):04d}", "type": "message", "role": "assistant", "model": model, "content": [],
        "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 10, "output_tokens": 1}}}
    for index, block in enumerate(reply.blocks):
        if block["type"] == "text":
            yield "content_block_start", {"type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}}
            yield "content_block_delta", {"type": "content_block_delta", "index": index,
                                          "delta": {"type": "text_delta", "text": block["text"]}}
        else:
            start = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
            yield "content_block_start", {"type": "content_block_start", "index": index, "content_block": start}
            yield "content_block_delta", {"type": "content_block_delta", "index": index,
                                          "delta": {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}}
        yield "content_block_stop", {"type": "content_block_stop", "index": index}
    yield "message_delta", {"type": "message_delta", "delta": {"stop_reason": reply.stop_reason, "stop_sequence": None},
                            "usage": {"output_tokens": 5}}
    yield "message_stop", {"type": "message_stop"}


def tool_results(request):
    """The `tool_result` blocks of a request's last user message, as (tool_use_id, text, is_error)."""
    found = []
    for message in reversed(request.get("messages", [])):
        if message.get("role") != "user" or not isinstance(message.get("content"), list):
            continue
        for block in message["content"]:
            if block.get("type") == "tool_result":
                content = block.get("content")
                if isinstance(content, list):
                    # Text parts, and the `tool_reference` parts a ToolSearch result is made of.
                    content = "\n".join(part.get("text") or part.get("tool_name", "") for part in content if isinstance(part, dict))
                found.append((block.get("tool_use_id"), content or "", bool(block.get("is_error"))))
        break
    return found


class ScriptedModel:
    """Serves `script` (a list of `Reply`, or of functions from the request to a `Reply`), one per
    request of the main conversation; afterwards every request gets `text("done")`. Requests that
    offer no tools (Claude Code's side questions, e.g. a title) get `text("ok")` and use no step."""

    def __init__(self, script):
        self.script = list(script)
        self.requests = []
        self.problems = []
        self.lock = threading.Lock()
        model = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                try:
                    request = json.loads(self.rfile.read(length) or b"{}")
                except ValueError as error:
                    return self.refuse(f"the request body is not JSON: {error}")
                if "count_tokens" in self.path:
                    return self.answer_json({"input_tokens": 10})
                if not self.path.startswith("/v1/messages"):
                    return self.refuse(f"unexpected path {self.path}")
                if not isinstance(request.get("messages"), list) or request.get("stream") is not True:
                    return self.refuse("expected a streaming Messages request (messages, stream: true): "
                                       + json.dumps(request)[:300])
                reply = model.next_reply(request)
                body = "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n"
                               for name, data in _events(reply, request.get("model", "claude")))
                data = body.encode()
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def answer_json(self, value):
                send_json(self, 200, json.dumps(value).encode())

            def refuse(self, problem):
                with model.lock:
                    model.problems.append(problem)
                send_json(self, 400, json.dumps({"type": "error", "error": {"type": "invalid_request_error", "message": problem}}).encode())

            def log_message(self, *arguments):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def next_reply(self, request):
        with self.lock:
            if not request.get("tools"):
                return text("ok")
            self.requests.append(request)
            if not self.script:
                return text("done")
            step = self.script.pop(0)
        return step(request) if callable(step) else step

    def results(self):
        """Every tool result Claude Code sent back, in order, as (tool_use_id, text, is_error)."""
        with self.lock:
            requests = list(self.requests)
        seen, found = set(), []
        for request in requests:
            for result in tool_results(request):
                if result[0] not in seen:
                    seen.add(result[0])
                    found.append(result)
        return found

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exception):
        self.server.shutdown()
        self.server.server_close()
