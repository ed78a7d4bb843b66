"""Pure parsing and digest checks for WSSE UsernameToken headers (contract section 7)."""

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

MAX_HEADER_LENGTH = 4096
# The one answer to a missing or malformed header, an unknown user and a wrong digest (contract section 7).
AUTHENTICATION_FAILED = "The WSSE authentication failed."
REQUIRED_FIELDS = ("username", "passworddigest", "nonce", "created")

_PREFIX_RE = re.compile(r"UsernameToken(?=\s|$)", re.IGNORECASE)
# One field, preceded by optional commas/whitespace; names are ASCII word characters, values double-quoted.
_FIELD_RE = re.compile(r'[\s,]*([A-Za-z0-9_]+)\s*=\s*"([^"]*)"', re.ASCII)
_SEPARATORS_RE = re.compile(r"[\s,]*", re.ASCII)
_NON_BASE64_RE = re.compile(r"[^A-Za-z0-9+/]")
_CREATED_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]+))?"
    r"(?:([Zz])|([+-])([0-9]{2}):?([0-9]{2}))?",
    re.ASCII,
)


class MalformedToken(ValueError):
    """The X-WSSE header is missing a field or is not parseable."""


class BadCreated(ValueError):
    """The Created field is not a date the server understands."""


@dataclass(frozen=True)
class UsernameToken:
    """The four fields of a WSSE UsernameToken, each exactly as sent."""

    username: str
    digest: str
    nonce: str
    created: str


def parse_header(value: str) -> UsernameToken:
    """Parse an X-WSSE header value into a UsernameToken or raise MalformedToken."""
    if not isinstance(value, str):
        raise MalformedToken("header is not a string")
    if len(value) > MAX_HEADER_LENGTH:
        raise MalformedToken("header too long")
    text = value.strip()
    prefix = _PREFIX_RE.match(text)
    pos = prefix.end() if prefix else 0

    fields: dict[str, str] = {}
    while True:
        match = _FIELD_RE.match(text, pos)
        if match is None:
            break
        name = match.group(1).lower()
        if name in fields:
            raise MalformedToken(f"duplicate field {match.group(1)}")
        fields[name] = match.group(2)
        pos = match.end()
    # Anything left after the last field other than separators means the header is not what we think it is.
    if _SEPARATORS_RE.fullmatch(text, pos) is None:
        raise MalformedToken("unparseable header")

    for name in REQUIRED_FIELDS:
        if not fields.get(name):
            raise MalformedToken(f"missing or empty field {name}")
    return UsernameToken(
        username=fields["username"],
        digest=fields["passworddigest"],
        nonce=fields["nonce"],
        created=fields["created"],
    )


def php_base64_decode(value: str) -> bytes:
    """Decode base64 the way PHP's non-strict base64_decode does; never raises."""
    cleaned = _NON_BASE64_RE.sub("", value)
    if len(cleaned) % 4 == 1:
        cleaned = cleaned[:-1]
    cleaned += "=" * (-len(cleaned) % 4)
    return base64.b64decode(cleaned)


def decoded_nonce(token: UsernameToken) -> bytes:
    """Return the token's nonce decoded PHP-style, or raise MalformedToken if that is empty."""
    nonce = php_base64_decode(token.nonce)
    if not nonce:
        raise MalformedToken("nonce decodes to nothing")
    return nonce


def parse_created(value: str) -> datetime:
    """Parse a Created timestamp into an aware UTC datetime (no zone means UTC) or raise BadCreated."""
    match = _CREATED_RE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise BadCreated(f"unrecognised Created {value!r}")
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    microsecond = int(fraction[:6].ljust(6, "0")) if fraction else 0
    try:
        if sign is None:
            tz = UTC
        else:
            if int(off_h) > 23 or int(off_m) > 59:
                raise ValueError("offset out of range")
            offset = timedelta(hours=int(off_h), minutes=int(off_m))
            tz = timezone(-offset if sign == "-" else offset)
        parsed = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), microsecond, tzinfo=tz
        )
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        # Impossible dates (month 13, hour 24) and conversions past datetime's range both end up here.
        raise BadCreated(f"impossible Created {value!r}") from exc


def compute_digest(nonce: bytes, created: str, api_key: str) -> str:
    """Return base64(sha1(nonce + created + api_key)) as text."""
    raw = hashlib.sha1(nonce + created.encode("utf-8") + api_key.encode("utf-8")).digest()
    return base64.b64encode(raw).decode("ascii")


def digest_matches(token: UsernameToken, nonce: bytes, api_key: str) -> bool:
    """Compare the token's digest with the expected one in constant time."""
    expected = compute_digest(nonce, token.created, api_key).encode("ascii")
    # compare_digest raises TypeError on non-ASCII str, so compare bytes.
    return hmac.compare_digest(expected, token.digest.encode("utf-8"))


def nonce_fingerprint(nonce: bytes) -> str:
    """Return the replay-store key for a decoded nonce: its sha256 hex digest."""
    # Keyed on decoded bytes so that re-padding or adding junk characters to a nonce cannot replay it.
    return hashlib.sha256(nonce).hexdigest()
