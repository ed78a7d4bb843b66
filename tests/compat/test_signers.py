"""Each client's own WSSE recipe is accepted, once: nonces from `uniqid()`, 10 random characters, base 36."""

import pytest
from django.test import Client

from tests.compat import signers
from tests.compat.conftest import PORTAL_API, SHOP_API

pytestmark = pytest.mark.django_db


def signed_get(path, header):
    return Client().get(path, HTTP_X_WSSE=header, HTTP_ACCEPT="application/json")


@pytest.mark.parametrize("recipe", [signers.shop_extension, signers.oro_test_signer])
def test_staff_recipes(shop_permissions, recipe):
    header = recipe(shop_permissions.username, shop_permissions.api_keys.get().key)
    assert signed_get(f"{SHOP_API}user/filter.json?username=shop", header).status_code == 200
    replayed = signed_get(f"{SHOP_API}desk/branches.json", header)
    assert (replayed.status_code, replayed.json()) == (401, {"error": "Previously used nonce detected."})


def test_the_oro_test_signers_nonce_is_not_base64(shop_permissions):
    header = signers.oro_test_signer(shop_permissions.username, shop_permissions.api_keys.get().key)
    nonce = header.split('Nonce="')[1].split('"')[0]
    assert len(nonce) == 13 and all(c in "0123456789abcdef" for c in nonce)
    assert 'Created="' in header and header.rstrip('"').endswith("+00:00")


def test_the_portals_recipe_with_the_stored_password_hash(portal_customer):
    secret = portal_customer.api_keys.get().key
    assert len(secret) == 88  # base64 of a sha512, not 40 hex
    header = signers.portal(portal_customer.email, secret)
    assert header.rstrip('"').endswith("Z") and "." in header.split('Created="')[1]
    assert signed_get(f"{PORTAL_API}desk/users/current", header).json()["id"] == portal_customer.pk


def test_a_customer_key_does_not_sign_on_the_staff_mount(portal_customer):
    header = signers.shop_extension(portal_customer.email, portal_customer.api_keys.get().key)
    assert signed_get(f"{SHOP_API}desk/branches.json", header).status_code == 401
