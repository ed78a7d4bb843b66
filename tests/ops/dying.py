"""Test-only settings: a middleware that kills its worker after the view answered, before it is sent."""

import os
import signal

from diamantedesk.settings import *  # noqa: F403  (the project's settings, plus the middleware below)
from diamantedesk.settings import MIDDLEWARE


class DieBeforeAnswering:
    """With `X-Die-Before-Answering`, SIGKILL the worker once the view (and its commit) is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "HTTP_X_DIE_BEFORE_ANSWERING" in request.META:
            os.kill(os.getpid(), signal.SIGKILL)
        return response


# Outermost: everything inside, the view's transaction included, has finished when it acts.
MIDDLEWARE = ["tests.ops.dying.DieBeforeAnswering", *MIDDLEWARE]
