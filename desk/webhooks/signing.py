"""The `X-Desk-Signature` header: `t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`."""

import hashlib
import hmac
import time


def sign(secret, body: bytes, timestamp=None):
    """The header value for a body sent now (or at `timestamp`)."""
    timestamp = int(time.time() if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret, body: bytes, header, tolerance=300, now=None):
    """Whether a header signs this body with this secret within `tolerance` seconds: the receiver's check."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))
