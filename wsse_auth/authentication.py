"""DRF authentication by WSSE UsernameToken, as the original Symfony bundle did it."""

from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q
from django.utils import timezone
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from desk.api.errors import ServiceUnavailable
from desk.core.compiled import CompiledQuery
from wsse_auth.models import ApiKey
from wsse_auth.nonce_store import NonceStoreUnavailable, get_nonce_store
from wsse_auth.tokens import (
    AUTHENTICATION_FAILED,
    BadCreated,
    MalformedToken,
    decoded_nonce,
    digest_matches,
    nonce_fingerprint,
    parse_created,
    parse_header,
)

WWW_AUTHENTICATE = 'WSSE realm="Secured API", profile="UsernameToken"'
# Compared against where a username has fewer keys, so every refusal costs the same few digests.
_DECOY_KEY = "0" * 40
_DIGESTS_AT_LEAST = 4
# last_used_at is a hint for admins; writing it at most this often keeps writes off the hot path.
_LAST_USED_RESOLUTION = timedelta(minutes=1)
NONCE_STORE_DOWN = "Service unavailable: the nonce store does not answer. Try again later."


def _owner(mount):
    """Which kind of principal signs in on this mount."""
    return "customer" if mount == "customer" else "user"


def _active_keys(owner, username):
    """The active API keys of the principal of this kind that may sign in as `username`."""
    keys = ApiKey.objects.filter(revoked_at__isnull=True)
    if owner == "customer":
        return keys.filter(customer__email__iexact=username, customer__is_active=True)
    return keys.filter(Q(user__username=username) | Q(user__email__iexact=username), user__is_active=True)


class _KeyQuery:
    """The active keys of a username with every column of the key and of its owner, newest first."""

    def __init__(self, owner):
        self.owner = owner
        self.owner_model = ApiKey._meta.get_field(owner).related_model
        self.key_names = [field.attname for field in ApiKey._meta.concrete_fields]
        self.owner_names = [field.attname for field in self.owner_model._meta.concrete_fields]
        columns = [*self.key_names, *(f"{owner}__{name}" for name in self.owner_names)]
        self.compiled = CompiledQuery(
            lambda username: (
                _active_keys(owner, username).order_by("-created_at", "-id").values_list(*columns)
            )
        )


_KEY_QUERIES = {owner: _KeyQuery(owner) for owner in ("user", "customer")}


class KeyRows:
    """The active keys of a username with their owners' columns, read in one query, as plain tuples.

    One read per request, its SQL compiled once per process, and no model object built until a digest
    checks out: a known user's refusal builds nothing, as an unknown user's builds nothing. Keys are
    read afresh on every request, so a revoked key stops signing on the next request on every host.
    """

    def __init__(self, mount, username):
        self.query = _KEY_QUERIES[_owner(mount)]
        self.rows = self.query.compiled.rows(username)
        self.key_index = self.query.key_names.index("key")

    def candidates(self):
        """(id, key) pairs, newest first."""
        return [(row[0], row[self.key_index]) for row in self.rows]

    def build(self, pk):
        """The ApiKey of that id with its owner loaded, built from the row already read."""
        query = self.query
        row = next(row for row in self.rows if row[0] == pk)
        split = len(query.key_names)
        api_key = ApiKey.from_db(DEFAULT_DB_ALIAS, query.key_names, row[:split])
        owner = query.owner_model.from_db(DEFAULT_DB_ALIAS, query.owner_names, row[split:])
        setattr(api_key, query.owner, owner)
        return api_key


def matching_key(token, nonce, candidates):
    """The id of the candidate whose key signed the token, or None; every candidate is compared."""
    matched = None
    padding = [(None, _DECOY_KEY)] * max(0, _DIGESTS_AT_LEAST - len(candidates))
    for pk, key in [*candidates, *padding]:
        if digest_matches(token, nonce, key) and matched is None and pk is not None:
            matched = pk
    return matched


class WSSEAuthentication(BaseAuthentication):
    """X-WSSE UsernameToken: staff keys on the staff mount, customer keys on the customer mount."""

    def authenticate(self, request):
        header = request.META.get("HTTP_X_WSSE")
        if header is None:
            return None
        try:
            token = parse_header(header)
            nonce = decoded_nonce(token)
        except MalformedToken:
            raise AuthenticationFailed(AUTHENTICATION_FAILED) from None
        try:
            created = parse_created(token.created)
        except BadCreated:
            raise AuthenticationFailed('Incorrectly formatted "created" in token.') from None

        now = timezone.now()
        if created < now - timedelta(seconds=settings.WSSE_LIFETIME):
            raise AuthenticationFailed("Token has expired.")
        if created > now + timedelta(seconds=settings.WSSE_SKEW):
            raise AuthenticationFailed("Future token detected.")

        view = request.parser_context.get("view") if request.parser_context else None
        mount = getattr(view, "mount", "staff")
        keys = KeyRows(mount, token.username)
        matched_pk = matching_key(token, nonce, keys.candidates())
        if matched_pk is None:
            raise AuthenticationFailed(AUTHENTICATION_FAILED)
        matched = keys.build(matched_pk)

        ttl = settings.WSSE_LIFETIME + settings.WSSE_SKEW
        try:
            fresh = get_nonce_store().remember(nonce_fingerprint(nonce), ttl, created)
        except NonceStoreUnavailable:
            # Fail closed: a header that cannot be checked for replay is not accepted, and the answer
            # says so instead of a 401 that would send a client to look for a wrong key.
            raise ServiceUnavailable(NONCE_STORE_DOWN) from None
        if not fresh:
            raise AuthenticationFailed("Previously used nonce detected.")
        self._touch(matched, now)
        return matched.owner, matched

    def authenticate_header(self, request):
        return WWW_AUTHENTICATE

    @staticmethod
    def _touch(api_key, now):
        if api_key.last_used_at is None or now - api_key.last_used_at > _LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
