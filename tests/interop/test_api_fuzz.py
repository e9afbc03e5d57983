"""Property-based API fuzzing with schemathesis against the live server: every generated request is
signed per RFC 9421 (by the independent http-message-signatures library); no answer may be a 5xx or
contradict docs/openapi.yaml. Bounded: a few examples per operation, no deadline per example."""
import pathlib

import hypothesis
import pytest
import requests
import schemathesis

from http_message_signatures import HTTPMessageSigner, algorithms
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from test_rfc9421_interop import Keys

# What "never contradict the document" means here: the status code is documented for the
# operation, the content type is the documented one, and the body matches the schema.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

DOCUMENT = pathlib.Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
schema = schemathesis.openapi.from_path(str(DOCUMENT))
COVERED = ("@method", "@authority", "@path", "@query")


@pytest.fixture(scope="module")
def session():
    with requests.Session() as session:
        yield session


@schema.parametrize()
@hypothesis.settings(max_examples=15, deadline=None, suppress_health_check=list(hypothesis.HealthCheck))
def test_generated_requests_never_break_the_server_or_the_document(case, broker, session):
    kwargs = case.as_transport_kwargs(base_url=broker.url)
    kwargs.pop("timeout", None)
    prepared = session.prepare_request(requests.Request(**{k: v for k, v in kwargs.items() if k in
                                                          ("method", "url", "headers", "params", "data", "json", "cookies")}))
    if prepared.url.split(broker.url, 1)[-1].startswith("/v1"):
        covered = COVERED + (("content-digest",) if prepared.body else ())
        signer = HTTPMessageSigner(signature_algorithm=algorithms.HMAC_SHA256, key_resolver=Keys({"user": broker.key("user")}))
        body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
        signer.sign(prepared, key_id="user", covered_component_ids=covered, nonce=None, body=body)
    response = session.send(prepared, timeout=10, stream="/v1/events" in prepared.url)
    if "/v1/events" in prepared.url:
        assert response.status_code < 500
        response.close()
        return
    assert response.status_code < 500, response.text
    case.validate_response(response, checks=CHECKS)
