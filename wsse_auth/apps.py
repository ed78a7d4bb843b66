"""App configuration for WSSE authentication."""

from django.apps import AppConfig


class WsseAuthConfig(AppConfig):
    name = "wsse_auth"
    label = "wsse_auth"

    def ready(self):
        from django.core import checks

        from wsse_auth.encryption import check_encryption_keys

        checks.register(check_encryption_keys)
