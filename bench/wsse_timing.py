"""How much longer a refused WSSE header takes for a known user than for an unknown one.

Usage: .venv/bin/python bench/wsse_timing.py [--samples 20000]
Runs the authentication class in-process on a throwaway SQLite database (a temporary DESK_VAR_DIR),
alternating a known user with a wrong key and an unknown user, and prints the medians and their gap.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20000)
    args = parser.parse_args()

    os.environ["DESK_VAR_DIR"] = tempfile.mkdtemp(prefix="desk-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diamantedesk.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import RequestFactory
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework.request import Request

    from desk.users.models import User
    from wsse_auth.authentication import WSSEAuthentication
    from wsse_auth.client import make_header
    from wsse_auth.models import ApiKey

    call_command("migrate", verbosity=0)
    user = User.objects.create_user("known", "known@example.com", "x", is_staff=True)
    for _ in range(3):
        ApiKey.objects.create(user=user)

    factory, auth = RequestFactory(), WSSEAuthentication()

    def refusal_seconds(username):
        header = make_header(username, "f" * 40)
        request = Request(factory.get("/", HTTP_X_WSSE=header), parser_context={"view": None})
        started = time.perf_counter()
        try:
            auth.authenticate(request)
        except AuthenticationFailed:
            pass
        return time.perf_counter() - started

    known, unknown = [], []
    for _ in range(args.samples):
        known.append(refusal_seconds("known"))
        unknown.append(refusal_seconds("nobody-here"))
    known_us, unknown_us = statistics.median(known) * 1e6, statistics.median(unknown) * 1e6
    print(f"samples each: {args.samples}")
    print(f"known user, wrong key: median {known_us:.1f} µs")
    print(f"unknown user:          median {unknown_us:.1f} µs")
    print(f"gap:                   {known_us - unknown_us:+.1f} µs")


if __name__ == "__main__":
    main()
