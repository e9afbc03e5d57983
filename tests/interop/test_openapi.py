"""The OpenAPI document is valid OpenAPI 3 (checked by the independent openapi-spec-validator),
and the running server serves exactly that document at /openapi.yaml."""
import pathlib

import requests
import yaml
from openapi_spec_validator import validate

DOCUMENT = pathlib.Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


def test_the_document_is_valid_openapi():
    validate(yaml.safe_load(DOCUMENT.read_text()))


def test_the_server_serves_the_document(broker):
    response = requests.get(broker.url + "/openapi.yaml", timeout=10)
    assert response.status_code == 200
    assert response.content == DOCUMENT.read_bytes()
