"""Interoperability of the approval queue: an independent RFC 9421 client (Python's
http-message-signatures) queues a request as the agent, decides it as the approver, and follows
`GET /v1/events`, whose streamed answer is signed over "@status" and "content-type"."""
import datetime
import json
import secrets as random

import requests
from http_message_signatures import HTTPMessageVerifier, algorithms

from broker_api import call
from test_rfc9421_interop import Keys, prepare


def verify_stream(broker, response, nonce, user):
    verifier = HTTPMessageVerifier(signature_algorithm=algorithms.HMAC_SHA256, key_resolver=Keys({user: broker.key(user)}))
    results = verifier.verify(response, expect_tag="conduit-response", require_components=("@status", "content-type"),
                              max_age=datetime.timedelta(seconds=60))
    assert len(results) == 1
    assert results[0].parameters["nonce"] == nonce


def read_events(response, request_id, count):
    """The first `count` events about `request_id`, as (id, event, data) tuples."""
    events, fields = [], {}
    for line in response.iter_lines(decode_unicode=True):
        if line == "":
            if "data" in fields:
                data = json.loads(fields["data"])
                if data["record"]["id"] == request_id:
                    events.append((fields.get("id"), fields.get("event"), data))
                    if len(events) == count:
                        return events
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(": ")
            fields[name] = value
    return events


def test_queue_approve_and_events_with_an_independent_signer(broker):
    # call() signs with the independent library and verifies the answer's signature.
    queued = call(broker, "POST", "/v1/actions", {"action": "open-browser", "url": "https://example.org/interop"},
                  user="agent")
    assert queued.status_code == 202, queued.text
    request_id = queued.json()["id"]

    listing = call(broker, "GET", "/v1/queue", user="user")
    assert listing.status_code == 200
    assert request_id in [item["id"] for item in listing.json()["pending"]]

    # The agent may not decide its own request.
    own = call(broker, "POST", f"/v1/actions/{request_id}/approve", {}, user="agent")
    assert own.status_code == 403

    denied = call(broker, "POST", f"/v1/actions/{request_id}/deny", {"reason": "wrong site"}, user="user")
    assert denied.status_code == 200, denied.text
    assert denied.json()["status"] == "denied"
    assert denied.json()["reason"] == "denied by user: wrong site"

    # Replay from the beginning: the queued and decided events of that request, signed as a stream.
    nonce = random.token_urlsafe(16)
    prepared = prepare(broker, "GET", "/v1/events", user="agent", nonce=nonce)
    prepared.headers["Last-Event-ID"] = "0"
    with requests.Session() as session:
        response = session.send(prepared, stream=True, timeout=10)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        assert "Content-Digest" not in response.headers
        verify_stream(broker, response, nonce, user="agent")
        events = read_events(response, request_id, 2)
        response.close()
    assert [e[1] for e in events] == ["queued", "decided"]
    assert int(events[0][0]) < int(events[1][0])
    assert events[1][2]["record"]["decision"]["by"] == "user"
