"""Tests for wsse_auth.tokens: header parsing, PHP-lenient nonce decoding, Created parsing, digests."""

import base64
from datetime import UTC, datetime

import pytest

from wsse_auth.tokens import (
    BadCreated,
    MalformedToken,
    UsernameToken,
    compute_digest,
    decoded_nonce,
    digest_matches,
    nonce_fingerprint,
    parse_created,
    parse_header,
    php_base64_decode,
)

API_KEY = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
VECTOR_TIME = datetime(2026, 11, 29, 5, 6, 14, tzinfo=UTC)

# Headers made by real WSSE clients: (name, header, must the SHA-1 digest match?).
CLIENT_VECTORS = [
    (
        "npm-wsse-base64",
        'UsernameToken Username="admin", PasswordDigest="pCeP3Q8izd5h3to4quYtDwsjdlE=", '
        'Nonce="YjYzZjg3MjY1YzA0NWUwOTI1NTI=", Created="2026-11-29T05:06:14.793Z"',
        True,
    ),
    (
        "npm-wsse-default",
        'UsernameToken Username="admin", PasswordDigest="GpUYtpXBYUDkLg2vzEmjdBhXMRs=", '
        'Nonce="286fd93f19d395fee29d", Created="2026-11-29T05:06:14.795Z"',
        False,
    ),
    (
        "php-diamantedesk-cli",
        'UsernameToken Username="admin", PasswordDigest="yLMYroGyjybKqMWqGgbGKqSgkD8=", '
        'Nonce="OGNlODZhMjY5ZGQ2MDRiOA==", Created="2026-11-29T05:06:14+00:00"',
        True,
    ),
    (
        "php-sfwsse-hexnonce",
        'UsernameToken Username="admin", PasswordDigest="Atz4USR0NtIDkf0KqdQKjpeSsSw=", '
        'Nonce="5ebb6799b97f285b85b2154589c11fc163382807", Created="2026-11-29T05:06:14+0000"',
        True,
    ),
    (
        "php-magento-extension",
        'UsernameToken Username="admin", PasswordDigest="GRH86TONq9dzvzZeoV87id6lMoc=", '
        'Nonce="WmppTktJUmc2QQ==", Created="2026-11-29T05:06:14+0000"',
        True,
    ),
    (
        "pywsse-sha1",
        'Username="admin", PasswordDigest="6g9sc7WV/KYhRifqRHdgUy6ATVY=", '
        'Nonce="b3F5bXBuY2FLaGF3VVluVUhWTklhSWxmV0tOVUpORFpUVkV5anBFTkVpZ2FZcFhLY2pwd0lQWFp4VkFnS3JSTA==", '
        'Created="2026-11-29T05:06:14Z"',
        True,
    ),
    (
        # SHA-256 digests are an optional extension; the SHA-1 check must not match them.
        "pywsse-sha256",
        'Username="admin", PasswordDigest="yU0wkHZzjN9cv/iSBxXhPEoCe6AFd66Hb2rC5DdftYU=", '
        'Nonce="VHVOWVV1bkdmRGFGS3pHTUVma2lXbHNHc0JmVXJZaVRRVWF2cnRqY1hUQWpqT1FBc1l5ZFRwcGRLRlBKZ3dUcQ==", '
        'Created="2026-11-29T05:06:14Z"',
        False,
    ),
    (
        "wsseheaders",
        'UsernameToken Username="admin", PasswordDigest="iuwkGH/Xireg0apFRULqYrfyepk=", '
        'Nonce="+HRSga8sullNuJHnaqaXyQ==", Created="2026-11-29T05:06:14+00:00", Organization="acme"',
        True,
    ),
]

VECTOR_IDS = [name for name, _, _ in CLIENT_VECTORS]


def make_header(**fields: str) -> str:
    return "UsernameToken " + ", ".join(f'{name}="{value}"' for name, value in fields.items())


GOOD_FIELDS = {
    "Username": "alice",
    "PasswordDigest": "SEdFhDXItRPuumDeJPBOR8eykBk=",
    "Nonce": "MDEyMzQ1Njc4OWFiY2RlZg==",
    "Created": "2023-11-14T22:13:20+0000",
}


# --- golden vector and client vectors -----------------------------------------------------------------


def test_golden_vector_digest():
    nonce = php_base64_decode("MDEyMzQ1Njc4OWFiY2RlZg==")
    assert nonce == b"0123456789abcdef"
    assert compute_digest(nonce, "2023-11-14T22:13:20+0000", API_KEY) == "SEdFhDXItRPuumDeJPBOR8eykBk="


def test_golden_vector_end_to_end():
    token = parse_header(make_header(**GOOD_FIELDS))
    assert token == UsernameToken(
        username="alice",
        digest="SEdFhDXItRPuumDeJPBOR8eykBk=",
        nonce="MDEyMzQ1Njc4OWFiY2RlZg==",
        created="2023-11-14T22:13:20+0000",
    )
    assert digest_matches(token, decoded_nonce(token), API_KEY)
    assert not digest_matches(token, decoded_nonce(token), "f" * 40)
    assert parse_created(token.created) == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)


@pytest.mark.parametrize(("name", "header", "should_match"), CLIENT_VECTORS, ids=VECTOR_IDS)
def test_client_vector_digest(name, header, should_match):
    token = parse_header(header)
    assert token.username == "admin"
    assert digest_matches(token, decoded_nonce(token), API_KEY) is should_match


@pytest.mark.parametrize(("name", "header", "should_match"), CLIENT_VECTORS, ids=VECTOR_IDS)
def test_client_vector_created(name, header, should_match):
    created = parse_created(parse_header(header).created)
    assert created.tzinfo is not None
    assert created.utcoffset().total_seconds() == 0
    assert created.replace(microsecond=0) == VECTOR_TIME


def test_npm_default_digest_is_over_nonce_text():
    # Documents why this client is refused: it hashes the nonce text, not its decoded bytes.
    token = parse_header(CLIENT_VECTORS[1][1])
    assert compute_digest(token.nonce.encode(), token.created, API_KEY) == token.digest


def test_wsseheaders_extra_field_ignored():
    token = parse_header(CLIENT_VECTORS[-1][1])
    assert token.created == "2026-11-29T05:06:14+00:00"
    assert token.nonce == "+HRSga8sullNuJHnaqaXyQ=="


def test_digest_matches_non_ascii_digest_is_false_not_error():
    token = UsernameToken(username="a", digest="ünïcødé", nonce="YWJj", created="2026-11-29T05:06:14Z")
    assert digest_matches(token, b"abc", API_KEY) is False


def test_digest_matches_is_exact():
    token = parse_header(make_header(**GOOD_FIELDS))
    nonce = decoded_nonce(token)
    for bad in (
        "SEdFhDXItRPuumDeJPBOR8eykBk",
        "sEdFhDXItRPuumDeJPBOR8eykBk=",
        "SEdFhDXItRPuumDeJPBOR8eykBk= ",
    ):
        assert not digest_matches(UsernameToken("alice", bad, token.nonce, token.created), nonce, API_KEY)


def test_created_is_hashed_exactly_as_sent():
    nonce = b"0123456789abcdef"
    assert compute_digest(nonce, "2023-11-14T22:13:20+0000", API_KEY) != compute_digest(
        nonce, "2023-11-14T22:13:20+00:00", API_KEY
    )


# --- php_base64_decode ----------------------------------------------------------------------------------


def test_php_decode_plain_base64():
    assert php_base64_decode(base64.b64encode(b"hello world").decode()) == b"hello world"


def test_php_decode_uniqid_style_hex_nonce():
    hex_nonce = "5ebb6799b97f285b85b2154589c11fc163382807"
    decoded = php_base64_decode(hex_nonce)
    assert len(decoded) == 30
    assert decoded == base64.b64decode(hex_nonce)


@pytest.mark.parametrize("variant", ["abc=", "abc", "a b c", "abc==", "=abc", "a.b-c", "a\nb\tc", "abc!"])
def test_php_decode_repadded_nonce_same_bytes(variant):
    assert php_base64_decode(variant) == php_base64_decode("abc") == b"i\xb7"
    assert nonce_fingerprint(php_base64_decode(variant)) == nonce_fingerprint(b"i\xb7")


def test_php_decode_repadded_real_nonce_same_fingerprint():
    original = "MDEyMzQ1Njc4OWFiY2RlZg=="
    fingerprints = {
        nonce_fingerprint(php_base64_decode(v))
        for v in (
            original,
            original.rstrip("="),
            original + "=",
            " " + original + " ",
            "MDEy*MzQ1Njc4OWFiY2RlZg",
        )
    }
    assert len(fingerprints) == 1


def test_php_decode_len_mod_4_is_1_drops_last_char():
    assert php_base64_decode("abcdA") == php_base64_decode("abcd") == b"i\xb7\x1d"
    assert php_base64_decode("Q") == b""


@pytest.mark.parametrize("garbage", ["", "====", "!!!", "-_.~", "   ", "éüß", "\x00\x01"])
def test_php_decode_garbage_only_is_empty(garbage):
    assert php_base64_decode(garbage) == b""


def test_php_decode_ignores_non_ascii_letters_and_digits():
    # Unicode letters/digits are outside PHP's alphabet too.
    assert php_base64_decode("aéb٣c") == php_base64_decode("abc")


def test_php_decode_never_raises_on_odd_input():
    for value in ("a", "ab", "abc", "abcde", "abcdef", "a===b", "+/+/", "////"):
        assert isinstance(php_base64_decode(value), bytes)


def test_decoded_nonce_empty_is_malformed():
    token = UsernameToken(username="a", digest="x", nonce="!!==", created="2026-11-29T05:06:14Z")
    with pytest.raises(MalformedToken):
        decoded_nonce(token)
    token = UsernameToken(username="a", digest="x", nonce="Q", created="2026-11-29T05:06:14Z")
    with pytest.raises(MalformedToken):
        decoded_nonce(token)


def test_decoded_nonce_returns_bytes():
    token = UsernameToken(username="a", digest="x", nonce="MDEyMzQ1Njc4OWFiY2RlZg==", created="c")
    assert decoded_nonce(token) == b"0123456789abcdef"


def test_nonce_fingerprint_is_sha256_hex():
    assert nonce_fingerprint(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert nonce_fingerprint(b"a") != nonce_fingerprint(b"b")
    assert len(nonce_fingerprint(b"0123456789abcdef")) == 64


# --- parse_header ---------------------------------------------------------------------------------------


def test_parse_header_without_prefix():
    header = ", ".join(f'{k}="{v}"' for k, v in GOOD_FIELDS.items())
    assert parse_header(header) == parse_header(make_header(**GOOD_FIELDS))


def test_parse_header_any_order():
    reordered = dict(reversed(list(GOOD_FIELDS.items())))
    assert parse_header(make_header(**reordered)) == parse_header(make_header(**GOOD_FIELDS))


@pytest.mark.parametrize(
    "header",
    [
        'UsernameToken Username="alice" PasswordDigest="d" Nonce="n" Created="c"',
        'UsernameToken Username="alice",PasswordDigest="d",Nonce="n",Created="c"',
        '  UsernameToken   Username = "alice" ,\tPasswordDigest="d",, Nonce="n", Created="c",  ',
        'usernametoken username="alice", passworddigest="d", NONCE="n", Created="c"',
    ],
)
def test_parse_header_separators_and_case(header):
    assert parse_header(header) == UsernameToken("alice", "d", "n", "c")


def test_parse_header_extra_fields_ignored():
    header = make_header(Realm="x", **GOOD_FIELDS, Organization="acme", Empty="")
    assert parse_header(header) == parse_header(make_header(**GOOD_FIELDS))


def test_parse_header_values_kept_exactly():
    header = make_header(
        Username="a.b+c@example.com",
        PasswordDigest="ab/+cd==",
        Nonce="x=y:z/+",
        Created="2026-11-29T05:06:14.793+05:30",
    )
    assert parse_header(header) == UsernameToken(
        "a.b+c@example.com", "ab/+cd==", "x=y:z/+", "2026-11-29T05:06:14.793+05:30"
    )


def test_parse_header_value_with_spaces_and_commas():
    token = parse_header(make_header(**{**GOOD_FIELDS, "Username": "Alice Smith, Jr."}))
    assert token.username == "Alice Smith, Jr."


@pytest.mark.parametrize("missing", list(GOOD_FIELDS))
def test_parse_header_missing_field(missing):
    fields = {k: v for k, v in GOOD_FIELDS.items() if k != missing}
    with pytest.raises(MalformedToken):
        parse_header(make_header(**fields))


@pytest.mark.parametrize("empty", list(GOOD_FIELDS))
def test_parse_header_empty_field(empty):
    with pytest.raises(MalformedToken):
        parse_header(make_header(**{**GOOD_FIELDS, empty: ""}))


@pytest.mark.parametrize("duplicate", ["Username", "Nonce", "nonce", "CREATED"])
def test_parse_header_duplicate_field(duplicate):
    header = make_header(**GOOD_FIELDS) + f', {duplicate}="again"'
    with pytest.raises(MalformedToken):
        parse_header(header)


@pytest.mark.parametrize(
    "header",
    [
        "",
        "   ",
        "UsernameToken",
        "garbage",
        "Basic YWxpY2U6c2VjcmV0",
        'UsernameToken Username=alice, PasswordDigest="d", Nonce="n", Created="c"',
        'UsernameToken Username="alice, PasswordDigest="d", Nonce="n", Created="c"',
        'UsernameToken Username="alice", PasswordDigest="d", Nonce="n", Created="c", trailing junk',
        'UsernameToken Username="alice"; PasswordDigest="d"; Nonce="n"; Created="c"',
        'Username="alice", PasswordDigest="d", Nonce="n", Created="c" UsernameToken',
        "\x00\x01\x02",
    ],
)
def test_parse_header_garbage(header):
    with pytest.raises(MalformedToken):
        parse_header(header)


def test_parse_header_overlong():
    header = make_header(**GOOD_FIELDS, Padding="x" * 5000)
    with pytest.raises(MalformedToken):
        parse_header(header)


def test_parse_header_just_under_limit_is_fine():
    base = make_header(**GOOD_FIELDS) + ', Padding=""'
    header = base[:-1] + "x" * (4096 - len(base)) + '"'
    assert len(header) == 4096
    assert parse_header(header).username == "alice"


def test_parse_header_non_string():
    with pytest.raises(MalformedToken):
        parse_header(None)  # type: ignore[arg-type]


def test_malformed_and_bad_created_are_value_errors():
    assert issubclass(MalformedToken, ValueError)
    assert issubclass(BadCreated, ValueError)


# --- parse_created --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-29T05:06:14Z", datetime(2026, 11, 29, 5, 6, 14, tzinfo=UTC)),
        ("2026-11-29T05:06:14z", datetime(2026, 11, 29, 5, 6, 14, tzinfo=UTC)),
        ("2026-11-29T05:06:14+0000", datetime(2026, 11, 29, 5, 6, 14, tzinfo=UTC)),
        ("2026-11-29T05:06:14+00:00", datetime(2026, 11, 29, 5, 6, 14, tzinfo=UTC)),
        ("2026-11-29T05:06:14-00:00", datetime(2026, 11, 29, 5, 6, 14, tzinfo=UTC)),
        ("2026-11-29T05:06:14", datetime(2026, 11, 29, 5, 6, 14, tzinfo=UTC)),
        ("2026-11-29 05:06:14", datetime(2026, 11, 29, 5, 6, 14, tzinfo=UTC)),
        ("2026-11-29T05:06:14.793Z", datetime(2026, 11, 29, 5, 6, 14, 793000, tzinfo=UTC)),
        ("2026-11-29T05:06:14.7+0000", datetime(2026, 11, 29, 5, 6, 14, 700000, tzinfo=UTC)),
        ("2026-11-29T05:06:14.123456789Z", datetime(2026, 11, 29, 5, 6, 14, 123456, tzinfo=UTC)),
        ("2026-11-29T05:06:14.000001", datetime(2026, 11, 29, 5, 6, 14, 1, tzinfo=UTC)),
        ("2026-11-29T07:06:14+02:00", datetime(2026, 11, 29, 5, 6, 14, tzinfo=UTC)),
        ("2026-11-29T07:06:14+0200", datetime(2026, 11, 29, 5, 6, 14, tzinfo=UTC)),
        ("2026-11-28T23:36:14-0530", datetime(2026, 11, 29, 5, 6, 14, tzinfo=UTC)),
        ("2026-11-29T10:36:14.5+05:30", datetime(2026, 11, 29, 5, 6, 14, 500000, tzinfo=UTC)),
        ("2024-02-29T00:00:00Z", datetime(2024, 2, 29, tzinfo=UTC)),
    ],
)
def test_parse_created_good(value, expected):
    parsed = parse_created(value)
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "",
        "2026-13-01T00:00:00Z",
        "2026-11-29T05:06:14+25:00",
        "2026-11-29T05:06:14+24:00",
        "2026-11-29T05:06:14+00:60",
        "2026-02-29T00:00:00Z",
        "2026-11-31T00:00:00Z",
        "2026-11-29T24:00:00Z",
        "2026-11-29T05:60:00Z",
        "2026-11-29T05:06:60Z",
        "0000-01-01T00:00:00Z",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "2026-11-29",
        "2026-11-29T05:06",
        "2026-11-29T05:06:14.",
        "2026-11-29T05:06:14 Z",
        "2026-11-29T05:06:14+00",
        "2026-11-29T05:06:14+0:00",
        "2026-11-29T05:06:14ZZ",
        " 2026-11-29T05:06:14Z",
        "2026-11-29T05:06:14Z ",
        "2026-11-29T05:06:14Z\n",
        "26-11-29T05:06:14Z",
        "2026/11/29T05:06:14Z",
        "2026-11-29T05:06:14+00:00:00",
        "1764392774",
        "२०२६-11-29T05:06:14Z",
    ],
)
def test_parse_created_bad(value):
    with pytest.raises(BadCreated):
        parse_created(value)


def test_parse_created_non_string():
    with pytest.raises(BadCreated):
        parse_created(None)  # type: ignore[arg-type]
