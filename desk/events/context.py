"""Who is making the current change: the request being served, or whoever a command names."""

import contextlib
import contextvars

_request = contextvars.ContextVar("desk_events_request", default=None)
_actor = contextvars.ContextVar("desk_events_actor", default=None)


@contextlib.contextmanager
def serving(request):
    """Make `request` the one whose user changes are recorded for (set by the middleware)."""
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


@contextlib.contextmanager
def acting_as(person):
    """Record changes made inside as done by `person` (commands, tasks, tests)."""
    token = _actor.set(person)
    try:
        yield
    finally:
        _actor.reset(token)


def current_request():
    """The request being served, or None outside one."""
    return _request.get()


def current_actor():
    """The staff user or customer making the change, or None (a command, the system)."""
    actor = _actor.get()
    if actor is not None:
        return actor
    request = _request.get()
    # DRF puts the WSSE principal on the Django request once it has authenticated; the admin's
    # session user is there from the start.
    user = getattr(request, "user", None) if request is not None else None
    return user if getattr(user, "is_authenticated", False) else None


def actor_reference(actor):
    """`oro_N`, `diamante_N`, or "" for nobody."""
    return getattr(actor, "person_id", "") if actor is not None else ""
