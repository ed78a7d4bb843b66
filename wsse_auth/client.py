"""Build X-WSSE headers the way a client does: for the wsse_header command and the tests."""

import base64
import secrets
from datetime import UTC, datetime

from wsse_auth.tokens import compute_digest


def make_header(username, api_key, *, nonce=None, created=None):
    """A signed `UsernameToken ...` header value with a fresh random nonce and the current time."""
    nonce = nonce if nonce is not None else secrets.token_bytes(16)
    created = created or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
    digest = compute_digest(nonce, created, api_key)
    encoded = base64.b64encode(nonce).decode()
    return (
        f'UsernameToken Username="{username}", PasswordDigest="{digest}", '
        f'Nonce="{encoded}", Created="{created}"'
    )
