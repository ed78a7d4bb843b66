"""Oro's staff password format, so that staff imported from DiamanteDesk log in with their old passwords."""

import base64
import hashlib

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare

# Symfony's MessageDigestPasswordEncoder('sha512') as Oro configures it: 5000 rounds, base64 output.
ORO_ROUNDS = 5000


def oro_sha512_digest(password, salt):
    """base64(sha512) of `password{salt}`, stretched as Symfony does: each round hashes digest + salted."""
    salted = f"{password}{{{salt}}}" if salt else password
    salted = salted.encode()
    digest = hashlib.sha512(salted).digest()
    for _ in range(ORO_ROUNDS - 1):
        digest = hashlib.sha512(digest + salted).digest()
    return base64.b64encode(digest).decode("ascii")


def oro_encoded(salt, digest):
    """The Django form of an Oro `oro_user` row's salt and password columns."""
    return f"{OroSHA512PasswordHasher.algorithm}${salt}${digest}"


class OroSHA512PasswordHasher(BasePasswordHasher):
    """Checks passwords stored by OroPlatform; listed after Django's default, so a login upgrades them."""

    algorithm = "oro_sha512"

    def salt(self):
        # Oro's salts are 31 base-36 characters; new hashes are never made here, but keep the shape.
        return super().salt()[:31].lower()

    def encode(self, password, salt):
        self._check_encode_args(password, salt)
        return oro_encoded(salt, oro_sha512_digest(password, salt))

    def decode(self, encoded):
        # The digest is base64 (no "$"); anything before it after the algorithm is the salt.
        algorithm, rest = encoded.split("$", 1)
        salt, digest = rest.rsplit("$", 1)
        assert algorithm == self.algorithm
        return {"algorithm": algorithm, "hash": digest, "salt": salt}

    def verify(self, password, encoded):
        decoded = self.decode(encoded)
        return constant_time_compare(oro_sha512_digest(password, decoded["salt"]), decoded["hash"])

    def safe_summary(self, encoded):
        decoded = self.decode(encoded)
        return {
            "algorithm": decoded["algorithm"],
            "salt": mask_hash(decoded["salt"]),
            "hash": mask_hash(decoded["hash"]),
        }

    def harden_runtime(self, password, encoded):
        pass
