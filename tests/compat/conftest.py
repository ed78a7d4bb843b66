"""The clients as they call: their URLs, headers, bodies and signatures, sent through the real stack."""

import base64
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from PIL import Image

from desk.branches.models import Branch
from tests.compat import signers
from tests.factories import make_customer, make_staff
from wsse_auth.models import ApiKey

SHOP_API = "/api/rest/v1/"  # both shop extensions: always v1, always `.json`, the staff mount
PORTAL_API = "/api/diamante/rest/latest/"  # the portal: latest, no suffix


class Integration:
    """One client: signs every request its own way and sends bodies and query strings as it builds them."""

    def __init__(self, base, sign, headers=None):
        self.base, self.sign, self.headers = base, sign, headers or {}
        self.http = Client()

    def call(self, method, path, query="", body=b"", content_type=None, **extra):
        """One request; `query` is put on the URL as is, unencoded characters included."""
        meta = {"HTTP_X_WSSE": self.sign(), **self.headers, **extra}
        if query:
            meta["QUERY_STRING"] = query
        if content_type:
            meta["CONTENT_TYPE"] = content_type
        body = body.encode() if isinstance(body, str) else body
        return self.http.generic(method, self.base + path, body, content_type or "", **meta)

    def get(self, path, query="", **extra):
        return self.call("GET", path, query, **extra)

    def post_form(self, path, body, query=""):
        """A form body as Zend_Http_Client sends `http_build_query` output."""
        return self.call("POST", path, query, body, "application/x-www-form-urlencoded")

    def post_json(self, path, body, method="POST"):
        return self.call(
            method,
            path,
            body=body if isinstance(body, str) else json.dumps(body),
            content_type="application/json",
        )


@pytest.fixture
def shop_user(db):
    """The staff user a shop's extension is configured with, and its API key."""
    return make_staff(
        "shop", superuser=False, first_name="Shop", last_name="Integration", email="shop@example.com"
    )


@pytest.fixture
def shop_permissions(shop_user):
    """What a shop's staff user needs: every helpdesk model permission."""
    shop_user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["branches", "tickets", "comments", "users", "attachments"]
        )
    )
    return shop_user


def _shop(shop_user, headers):
    key = shop_user.api_keys.get().key
    return Integration(SHOP_API, lambda: signers.shop_extension(shop_user.username, key), headers)


@pytest.fixture
def magento(shop_permissions):
    """The Magento 1 extension's API model: Zend_Http_Client with its default headers."""
    headers = {
        "HTTP_ACCEPT": "application/json",
        "HTTP_AUTHORIZATION": 'WSSE profile="UsernameToken"',
        "HTTP_USER_AGENT": "Zend_Http_Client",
        "HTTP_ACCEPT_ENCODING": "gzip, deflate",
    }
    return _shop(shop_permissions, headers)


@pytest.fixture
def prestashop(shop_permissions):
    """The PrestaShop 1.6 module's API class: raw curl, JSON bodies."""
    headers = {"HTTP_ACCEPT": "application/json", "HTTP_AUTHORIZATION": 'WSSE profile="UsernameToken"'}
    return _shop(shop_permissions, headers)


@pytest.fixture
def portal_customer(db):
    """A customer whose key is the portal's stretched password hash, as the original stored it."""
    customer = make_customer("john@example.com", "John", "Doe")
    ApiKey.objects.filter(customer=customer).update(key=signers.portal_secret("secret123"))
    return customer


@pytest.fixture
def portal(portal_customer):
    """The original customer portal: jQuery requests, WSSE on every call."""
    secret = portal_customer.api_keys.get().key
    headers = {
        "HTTP_ACCEPT": "application/json, text/javascript, */*; q=0.01",
        "HTTP_X_REQUESTED_WITH": "XMLHttpRequest",
    }
    return Integration(PORTAL_API, lambda: signers.portal(portal_customer.email, secret), headers)


@pytest.fixture
def branches(db):
    """A shop's branches: general support first, billing second."""
    return [
        Branch.objects.create(name="General support", key="GS"),
        Branch.objects.create(name="Billing", key="BILL"),
    ]


@pytest.fixture
def png_base64():
    """A small PNG whose base64 holds `/` and `+`, which PHP escapes and forms percent-encode."""
    for seed in range(64):
        buffer = io.BytesIO()
        Image.new("RGB", (8 + seed, 8), (seed * 4, 200, 30)).save(buffer, "PNG")
        text = base64.b64encode(buffer.getvalue()).decode()
        if "/" in text and "+" in text:
            return text
    raise AssertionError("no PNG with both / and + in its base64")
