"""Pre-signs COUNT requests `POST /v1/actions {"action": ACTION}` for wrk (bench/signed.lua), each
with its own nonce, with the independent RFC 9421 implementation (Python's
http-message-signatures), so the server's signed path is measured without a signing client's
cost. Output: one line per request, `Signature-Input<TAB>Signature<TAB>Content-Digest`.

Usage: python bench/presign.py URL SECRETS_FILE USER ACTION COUNT OUTPUT
"""
import json
import secrets
import sys
import time

import requests
from http_message_signatures import HTTPMessageSigner, HTTPSignatureKeyResolver, algorithms


class Keys(HTTPSignatureKeyResolver):
    def __init__(self, key):
        self.key = key

    def resolve_public_key(self, key_id):
        return self.key

    def resolve_private_key(self, key_id):
        return self.key


def main():
    url, secrets_file, user, action, count, output = sys.argv[1:7]
    key = json.load(open(secrets_file))[user]["secret"].encode()
    signer = HTTPMessageSigner(signature_algorithm=algorithms.HMAC_SHA256, key_resolver=Keys(key))
    body = json.dumps({"action": action}).encode()
    started = time.monotonic()
    with open(output, "w") as out:
        for _ in range(int(count)):
            prepared = requests.Request("POST", url + "/v1/actions", data=body,
                                        headers={"Content-Type": "application/json"}).prepare()
            signer.sign(prepared, key_id=user, nonce=secrets.token_urlsafe(16), body=body,
                        covered_component_ids=("@method", "@authority", "@path", "@query"))
            headers = prepared.headers
            out.write(f"{headers['Signature-Input']}\t{headers['Signature']}\t{headers['Content-Digest']}\n")
    print(f"presign: {count} requests in {time.monotonic() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
