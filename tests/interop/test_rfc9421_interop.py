"""Interoperability: requests signed by an independent RFC 9421 implementation
(Python's http-message-signatures) are accepted by ccc-server; tampered, replayed or
under-covered ones are refused; and the server's response signatures verify with the same
independent library."""
import datetime
import json
import secrets as random

import pytest
import requests
from http_message_signatures import (
    HTTPMessageSigner,
    HTTPMessageVerifier,
    HTTPSignatureKeyResolver,
    algorithms,
)

COVERED = ("@method", "@authority", "@path", "@query")


class Keys(HTTPSignatureKeyResolver):
    def __init__(self, keys):
        self.keys = keys

    def resolve_public_key(self, key_id):
        return self.keys[key_id]

    def resolve_private_key(self, key_id):
        return self.keys[key_id]


def prepare(broker, method, path, body=None, *, user="agent", key=None, nonce=None, covered=COVERED,
            created=None):
    """A request signed by the independent library, not yet sent."""
    url = broker.url + path
    request = requests.Request(method, url, data=body, headers={"Content-Type": "application/json"} if body else {})
    prepared = request.prepare()
    signer = HTTPMessageSigner(
        signature_algorithm=algorithms.HMAC_SHA256, key_resolver=Keys({user: key or broker.key(user)}))
    signer.sign(prepared, key_id=user, covered_component_ids=covered, nonce=nonce,
                created=created, body=prepared.body if body is not None else None)
    return prepared


def send(prepared):
    with requests.Session() as session:
        return session.send(prepared, timeout=10)


def verify_response(broker, response, nonce, user="agent"):
    """Checks the answer's signature with the independent verifier; returns its parameters."""
    verifier = HTTPMessageVerifier(signature_algorithm=algorithms.HMAC_SHA256, key_resolver=Keys({user: broker.key(user)}))
    results = verifier.verify(response, expect_tag="conduit-response", require_components=("@status", "content-digest"),
                              body=response.content, max_age=datetime.timedelta(seconds=60))
    assert len(results) == 1
    params = results[0].parameters
    assert params["nonce"] == nonce
    assert params["keyid"] == user
    return params


def test_an_independently_signed_request_is_accepted_and_the_answer_verifies(broker):
    nonce = random.token_urlsafe(16)
    response = send(prepare(broker, "POST", "/v1/actions", json.dumps({"action": "list-actions"}).encode(), nonce=nonce))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "completed"
    assert {a["name"] for a in body["result"]["actions"]} >= {"list-actions", "edit-file", "open-browser", "open-terminal"}
    verify_response(broker, response, nonce)


def test_a_signed_get_with_a_query_is_accepted(broker):
    nonce = random.token_urlsafe(16)
    queued = send(prepare(broker, "POST", "/v1/actions",
                          json.dumps({"action": "open-browser", "url": "https://example.com/"}).encode(), nonce=nonce))
    assert queued.status_code == 202, queued.text
    verify_response(broker, queued, nonce)
    record_id = queued.json()["id"]
    nonce = random.token_urlsafe(16)
    response = send(prepare(broker, "GET", f"/v1/actions/{record_id}?view=full%20record", nonce=nonce))
    assert response.status_code == 200, response.text
    assert response.json()["params"] == {"url": "https://example.com/"}
    verify_response(broker, response, nonce)


def test_a_400_answer_is_signed_too(broker):
    nonce = random.token_urlsafe(16)
    response = send(prepare(broker, "POST", "/v1/actions", b'{"action": "edit-file", "filename": "/etc/passwd"}',
                            nonce=nonce))
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "path_outside_volumes", "parameter": "filename",
        "message": '"filename": /etc/passwd is not inside any shared volume'}
    verify_response(broker, response, nonce)


def test_a_tampered_body_is_refused(broker):
    prepared = prepare(broker, "POST", "/v1/actions", b'{"action": "list-actions"}', nonce=random.token_urlsafe(16))
    prepared.body = b'{"action": "open-terminal"}'
    prepared.headers["Content-Length"] = str(len(prepared.body))
    response = send(prepared)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "content_digest_mismatch"
    assert "Signature" not in response.headers


def test_a_tampered_target_is_refused(broker):
    prepared = prepare(broker, "POST", "/v1/actions", b'{"action": "list-actions"}', nonce=random.token_urlsafe(16))
    prepared.url = prepared.url + "?extra=1"
    response = send(prepared)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_signature"


def test_a_replayed_request_is_refused(broker):
    prepared = prepare(broker, "POST", "/v1/actions", b'{"action": "list-actions"}', nonce=random.token_urlsafe(16))
    assert send(prepared).status_code == 200
    replay = send(prepared)
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "replayed_nonce"


def test_a_request_signed_with_another_key_is_refused(broker):
    prepared = prepare(broker, "POST", "/v1/actions", b'{"action": "list-actions"}', nonce=random.token_urlsafe(16),
                       key=b"not-the-agent-secret-but-long-enough-123")
    response = send(prepared)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_signature"


def test_an_unknown_keyid_is_refused(broker):
    prepared = prepare(broker, "POST", "/v1/actions", b'{"action": "list-actions"}', nonce=random.token_urlsafe(16),
                       user="mallory", key=b"mallory-secret-that-is-long-enough-12345")
    response = send(prepared)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unknown_key"


def test_a_signature_without_nonce_is_refused(broker):
    response = send(prepare(broker, "POST", "/v1/actions", b'{"action": "list-actions"}', nonce=None))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "missing_signature_parameter"


@pytest.mark.parametrize("missing", COVERED)
def test_every_required_component_must_be_covered(broker, missing):
    covered = tuple(c for c in COVERED if c != missing)
    response = send(prepare(broker, "POST", "/v1/actions", b'{"action": "list-actions"}',
                            nonce=random.token_urlsafe(16), covered=covered))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "missing_covered_component"


def test_a_stale_signature_is_refused(broker):
    created = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=120)
    response = send(prepare(broker, "POST", "/v1/actions", b'{"action": "list-actions"}',
                            nonce=random.token_urlsafe(16), created=created))
    assert response.status_code == 401
    assert response.json()["error"]["code"] in {"signature_too_old", "signature_before_server_start"}
