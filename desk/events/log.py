"""Writing events: each resource registers how it is shown, its services record its changes.

Events are recorded after the rows they describe are written and locked: on PostgreSQL the first event
takes a transaction-wide advisory lock, so event-writing transactions commit one after the other and
event ids grow in commit order (a feed reader never sees id 7 after it read id 8). SQLite runs one
writer at a time anyway. A transaction that records an event takes no lock on an existing row after it
(rows it has just inserted are its own), so the advisory lock never closes a cycle with row locks.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from desk.events.context import actor_reference, current_actor, current_request
from desk.events.models import Event
from desk.events.tasks import announce

# Any fixed number: the one lock every event-writing transaction takes.
FEED_LOCK = 0x6576656E74


@dataclass(frozen=True)
class Kind:
    """How events about one model are named, shown and scoped."""

    entity: str
    represent: Callable[[Any, Any], dict]  # (instance, request) -> the API representation
    scope: Callable[[Any], tuple]  # instance -> (ticket id, reporting customer id, private)
    key: Callable[[Any], str | None]  # instance -> its key, kept for deletes
    remains: Callable[[Any], dict]  # instance -> what else a delete keeps (who to tell about it)


_KINDS: dict[type, Kind] = {}
_LISTENERS: list[Callable[[Event], None]] = []


def _no_scope(instance):
    return None, None, False


def register(model, *, entity, represent, scope=_no_scope, key=lambda instance: None, remains=lambda i: {}):
    """Make `model`'s changes recordable as `<entity>.<verb>` events."""
    _KINDS[model] = Kind(entity=entity, represent=represent, scope=scope, key=key, remains=remains)


def listen(callback):
    """Call `callback(event)` on a task worker for each committed event (webhooks, mail)."""
    if callback not in _LISTENERS:
        _LISTENERS.append(callback)


def listeners():
    """The callbacks `listen` registered, in order."""
    return list(_LISTENERS)


def kind_of(instance):
    """The registered Kind of an instance, or None for a model that records no events."""
    return _KINDS.get(type(instance))


def _write(kind, instance, verb, data, changes=None, scope=None, entity_id=None):
    ticket_id, customer_id, private = scope if scope is not None else kind.scope(instance)
    # No savepoint: an event that cannot be written fails the write it tells of (two round trips saved).
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK])
        event = Event.objects.create(
            type=f"{kind.entity}.{verb}",
            entity=kind.entity,
            entity_id=instance.pk if entity_id is None else entity_id,
            ticket_id=ticket_id,
            customer_id=customer_id,
            private=private,
            actor=actor_reference(current_actor()),
            data=data,
            changes=changes,
        )
        if _LISTENERS:
            announce(event.pk)
    return event


def change(before, after):
    """One changed field as events carry it: `{"from": ..., "to": ...}`, nulls left out."""
    return {"from": before, "to": after}


def event_record(instance, verb, *, changes=None):
    """Record `<entity>.<verb>` with the instance as the API shows it now; None for unregistered models."""
    kind = kind_of(instance)
    if kind is None:
        return None
    return _write(kind, instance, verb, _plain(kind.represent(instance, current_request())), changes)


class Deletion:
    """What a deletion records, taken before the row goes and written after: `with event_deletion(x):`."""

    def __init__(self, instance):
        self.kind = kind_of(instance)
        self.instance = instance
        if self.kind is not None:
            key = self.kind.key(instance)
            self.data = _plain({**self.kind.remains(instance), "id": instance.pk, "key": key})
            self.scope = self.kind.scope(instance)

    def record(self):
        """Write the `<entity>.deleted` event, once the row is gone."""
        if self.kind is not None:
            _write(
                self.kind, self.instance, "deleted", self.data, scope=self.scope, entity_id=self.data["id"]
            )

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.record()
        return False


def events_hide(*instances):
    """Keep the earlier events of these rows from customers: a comment (and its files) turned private."""
    for instance in instances:
        kind = kind_of(instance)
        if kind is not None:
            Event.objects.filter(entity=kind.entity, entity_id=instance.pk).update(private=True)


def events_rescope(*, ticket_id, customer_id):
    """Give a ticket's events to the customer who now reports it (None: to staff only)."""
    Event.objects.filter(ticket_id=ticket_id).update(customer_id=customer_id)


def event_deletion(instance):
    """A context manager that records `<entity>.deleted` once the deletion inside it succeeded."""
    return Deletion(instance)


def _plain(value):
    """JSON-ready data: the renderer's ordered dicts and lazy strings as plain values."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items() if item is not None}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)
