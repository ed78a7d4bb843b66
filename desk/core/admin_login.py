"""The admin's login form, throttled: a few failed attempts per client address and per username."""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from desk.core import buckets
from desk.core.http import client_address

TOO_MANY_ATTEMPTS = "Too many failed logins. Try again in {minutes} minute(s)."


def _keys(request, username):
    yield buckets.bucket_key("admin-login-address", client_address(request))
    yield buckets.bucket_key("admin-login-username", username.strip().lower())


def _take(keys, cost):
    limits = {"capacity": settings.DESK_ADMIN_LOGIN_ATTEMPTS, "period": settings.DESK_ADMIN_LOGIN_PERIOD}
    return [buckets.take(key, cost=cost, **limits) for key in keys]


class ThrottledLoginForm(AdminAuthenticationForm):
    """Refuses to check a password once the address or the username has run out of attempts."""

    def clean(self):
        keys = list(_keys(self.request, self.data.get("username", "")))
        blocked = [outcome for outcome in _take(keys, cost=0) if not outcome.taken]
        if blocked:
            wait = max(outcome.retry_after for outcome in blocked)
            raise ValidationError(TOO_MANY_ATTEMPTS.format(minutes=max(1, -(-wait // 60))), code="throttled")
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                _take(keys, cost=1)
            raise
