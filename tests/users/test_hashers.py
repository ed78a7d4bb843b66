"""Oro's sha512 password format: imported staff log in with their old password, which is then upgraded."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password, identify_hasher

from desk.users.hashers import OroSHA512PasswordHasher, oro_encoded, oro_sha512_digest
from desk.users.models import User

# admin123 with this salt as Oro 1.7 stores it (Symfony sha512 encoder, 5000 rounds): a vector made outside this code.
DOCUMENTED_SALT = "gfkr8b1pmwktrvojfqrdt1d6omspabi"
DOCUMENTED_HASH = "ofRwrTIKYK20JnfYzLKh9HcajSqIdUJDv15kPOD3/WVDmnH4Gz+TzdFCQMU7fGkmWqeGcrckWAA8WoOYDZ5Y5w=="
HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "desk.users.hashers.OroSHA512PasswordHasher"]


def test_digest_matches_a_hash_stored_by_oro():
    assert oro_sha512_digest("admin123", DOCUMENTED_SALT) == DOCUMENTED_HASH


def test_hasher_verifies_the_right_password_only(settings):
    settings.PASSWORD_HASHERS = HASHERS
    encoded = oro_encoded(DOCUMENTED_SALT, DOCUMENTED_HASH)
    assert check_password("admin123", encoded)
    assert not check_password("admin124", encoded)
    assert isinstance(identify_hasher(encoded), OroSHA512PasswordHasher)


def test_salt_with_a_dollar_sign_is_kept_whole(settings):
    settings.PASSWORD_HASHERS = HASHERS
    assert check_password("pw", oro_encoded("a$b", oro_sha512_digest("pw", "a$b")))


def test_summary_masks_salt_and_hash():
    summary = OroSHA512PasswordHasher().safe_summary(oro_encoded(DOCUMENTED_SALT, DOCUMENTED_HASH))
    assert summary["algorithm"] == "oro_sha512"
    assert DOCUMENTED_HASH not in str(summary) and DOCUMENTED_SALT not in str(summary)


@pytest.mark.django_db
def test_login_upgrades_to_the_default_hasher(settings):
    settings.PASSWORD_HASHERS = HASHERS
    user = User.objects.create(
        username="admin", is_staff=True, password=oro_encoded(DOCUMENTED_SALT, DOCUMENTED_HASH)
    )
    assert authenticate(username="admin", password="admin123") == user
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "md5"
    assert authenticate(username="admin", password="admin123") == user


def test_the_project_lists_django_default_first():
    from diamantedesk import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert "desk.users.hashers.OroSHA512PasswordHasher" in project_settings.PASSWORD_HASHERS
