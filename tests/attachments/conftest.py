"""Attachment test settings."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Staff users are made per test and never log in with a password; hashing it slowly buys nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
