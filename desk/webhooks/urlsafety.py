"""Webhook URLs: http(s) only, and no private, loopback or link-local address unless a setting allows it.

So that a subscription cannot be turned into a scanner of the network the server runs in. Checked when a
subscription is saved and again before every delivery, since a name can resolve elsewhere later.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

PRIVATE = "Private, loopback and link-local addresses are refused (DESK_WEBHOOK_ALLOW_PRIVATE allows them)."


class UnsafeURL(ValueError):
    """A URL webhooks may not be sent to; the message says why."""


def check_url(url, resolve=True):
    """Raise UnsafeURL unless `url` is http(s) and (unless allowed) every address of its host is public."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURL("Only http:// and https:// URLs with a host are accepted.")
    if settings.DESK_WEBHOOK_ALLOW_PRIVATE:
        return
    host = parts.hostname
    if host == "localhost" or host.endswith(".localhost"):
        raise UnsafeURL(PRIVATE)
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        if not resolve:
            return
        try:
            infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError):
            raise UnsafeURL(f"The host {host!r} does not resolve.") from None
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for address in addresses:
        mapped = getattr(address, "ipv4_mapped", None) or address
        if not mapped.is_global or mapped.is_multicast:
            raise UnsafeURL(PRIVATE)
