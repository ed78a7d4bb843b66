"""App configuration for WSSE authentication."""

from django.apps import AppConfig


class WsseAuthConfig(AppConfig):
    name = "wsse_auth"
    label = "wsse_auth"
