"""What PHP and JavaScript clients do to values before they reach the wire, rebuilt in Python."""

import base64
import json
import random
import re
import string
import time
from urllib.parse import quote_plus


def http_build_query(data, prefix=None):
    """PHP's `http_build_query`: RFC 1738 encoding, nested arrays as `a[0][b]`, null dropped, true as 1."""
    pairs = []
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        name = f"{prefix}[{key}]" if prefix is not None else str(key)
        if value is None:
            continue
        if isinstance(value, dict | list):
            nested = http_build_query(value, name)
            if nested:
                pairs.append(nested)
        else:
            text = {True: "1", False: "0"}.get(value, value) if isinstance(value, bool) else value
            pairs.append(f"{quote_plus(name)}={quote_plus(str(text))}")
    return "&".join(pairs)


def json_encode(data):
    """PHP's `json_encode` with default flags: `/` escaped as `\\/`, non-ASCII as `\\uXXXX`."""
    return json.dumps(data, separators=(",", ":")).replace("/", "\\/")


def uniqid():
    """PHP's `uniqid()`: 13 hex digits of the time, seconds then microseconds."""
    now = time.time()
    return f"{int(now):8x}{int((now % 1) * 1_000_000):05x}"


def random_alnum(length=10):
    """Magento's `getRandomString(10)` and PrestaShop's `passwdGen(10)`: letters and digits."""
    return "".join(random.choices(string.ascii_letters + string.digits, k=length))


def js_random_base36():
    """The portal's `Math.random().toString(36).substring(2)`."""
    value, digits = random.random(), []
    for _ in range(11):
        value *= 36
        digit = int(value)
        digits.append("0123456789abcdefghijklmnopqrstuvwxyz"[digit])
        value -= digit
    return "".join(digits).rstrip("0") or "0"


def php_base64_decode(text):
    """PHP's lenient `base64_decode`: what the digest of a non-base64 nonce such as `uniqid()` is made over."""
    cleaned = re.sub(r"[^A-Za-z0-9+/]", "", text)
    if len(cleaned) % 4 == 1:
        cleaned = cleaned[:-1]
    return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4))
