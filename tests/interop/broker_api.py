"""Signed calls to the broker's API made by the independent RFC 9421 library, for the tests that
play the person in ccc-queue."""
import json
import secrets as random
import time

from test_rfc9421_interop import prepare, send, verify_response


def call(broker, method, path, body=None, user="user"):
    nonce = random.token_urlsafe(16)
    response = send(prepare(broker, method, path, None if body is None else json.dumps(body).encode(),
                            user=user, nonce=nonce))
    verify_response(broker, response, nonce, user=user)
    return response


def wait_for_pending(broker, action, predicate=lambda record: True, timeout=20):
    """The first pending request of `action` that satisfies `predicate`, polling /v1/queue."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for record in call(broker, "GET", "/v1/queue").json()["pending"]:
            if record["action"] == action and predicate(record):
                return record
        time.sleep(0.05)
    raise AssertionError(f"no pending {action} request within {timeout} s")


def decide(broker, request_id, verdict, reason=None):
    body = {} if reason is None else {"reason": reason}
    response = call(broker, "POST", f"/v1/actions/{request_id}/{verdict}", body)
    assert response.status_code == 200, response.text
    return response.json()


def record(broker, request_id, user="agent"):
    return call(broker, "GET", f"/v1/actions/{request_id}", user=user).json()
