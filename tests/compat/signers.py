"""The X-WSSE headers each published client builds, by its own recipe (nonce, Created, digest)."""

import base64
import hashlib
from datetime import UTC, datetime

from tests.compat.php import js_random_base36, php_base64_decode, random_alnum, uniqid


def _header(username, secret, sent_nonce, created):
    """`base64(sha1(base64_decode(nonce) . created . secret))`, as every one of these clients computes it."""
    raw = hashlib.sha1(php_base64_decode(sent_nonce) + created.encode() + secret.encode()).digest()
    digest = base64.b64encode(raw).decode()
    return f'UsernameToken Username="{username}", PasswordDigest="{digest}", Nonce="{sent_nonce}", Created="{created}"'


def shop_extension(username, api_key):
    """Magento 1 and PrestaShop 1.6: 10 random letters and digits, base64-encoded; `+0000`."""
    nonce = base64.b64encode(random_alnum(10).encode()).decode()
    return _header(username, api_key, nonce, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000"))


def portal(email, secret):
    """The customer portal: a base-36 `Math.random()` nonce, base64-encoded; `toISOString()` with `.mmmZ`."""
    nonce = base64.b64encode(js_random_base36().encode()).decode()
    now = datetime.now(UTC)
    return _header(
        email, secret, nonce, now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
    )


def oro_test_signer(username, api_key):
    """OroPlatform's functional-test signer: a raw `uniqid()` nonce (not base64) and `date('c')`, `+00:00`."""
    return _header(username, api_key, uniqid(), datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00"))


def portal_secret(password):
    """What the portal signs with: sha512 of the password stretched 5000 times, base64 (no salt)."""
    digest = hashlib.sha512(password.encode()).digest()
    for _ in range(4999):
        digest = hashlib.sha512(digest + password.encode()).digest()
    return base64.b64encode(digest).decode()
