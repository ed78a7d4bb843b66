"""Makes the request being served known to the event log, so that each event names who did it."""

from desk.events.context import serving


class EventContextMiddleware:
    """Keeps the current request in a context variable while it is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with serving(request):
            return self.get_response(request)
