"""A server that is not the broker: it answers every request 200 with "completed"-looking JSON and
no signature. A client that trusts it would let a tool call run."""
import contextlib
import http.server
import json
import threading

ANSWER = json.dumps({"id": "x", "action": "tool-use", "status": "completed", "result": {}}).encode()


def send_json(handler, status, data):
    """Answers `handler`'s request with `data` (bytes of JSON)."""
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        send_json(self, 200, ANSWER)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        send_json(self, 200, ANSWER)

    def do_DELETE(self):
        send_json(self, 200, ANSWER)

    def log_message(self, *arguments):
        pass


@contextlib.contextmanager
def impostor_server():
    """The impostor on a free loopback port; yields its URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
