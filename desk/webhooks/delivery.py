"""Sending deliveries: claimed by exactly one worker, signed, retried with backoff, logged per attempt.

A delivery row exists once per (subscription, event) (a unique constraint), and a worker sends it only
after claiming it with one conditional UPDATE (pending and due -> sending): of any number of workers on
any hosts, one wins each attempt. The POST happens outside any transaction, so no lock is held on the
network.
"""

import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from desk.api.renderers import DeskJSONRenderer
from desk.events.serializers import event_payload
from desk.webhooks.models import Delivery, DeliveryAttempt, Webhook
from desk.webhooks.signing import sign
from desk.webhooks.urlsafety import UnsafeURL, check_url

State = Delivery.State
USER_AGENT = "DiamanteDesk-Webhooks/1"


def deliveries_create(*, event):
    """The deliveries of an event to every active subscription that wants its type; existing ones stay."""
    webhooks = [webhook for webhook in Webhook.objects.filter(active=True) if webhook.wants(event.type)]
    Delivery.objects.bulk_create(
        [Delivery(webhook=webhook, event=event) for webhook in webhooks], ignore_conflicts=True
    )
    return list(Delivery.objects.filter(event=event, state=State.PENDING).values_list("pk", flat=True))


def retry_delay(attempts):
    """Seconds before the next attempt after `attempts` failed ones: doubling, about a day over all."""
    return settings.DESK_WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempts - 1)


def _claim(delivery_id):
    """Take the delivery for this worker if it is due; None when another has it or it is done."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.DESK_WEBHOOK_TIMEOUT * 3)
    claimable = Delivery.objects.filter(pk=delivery_id, next_attempt_at__lte=now).filter(
        state=State.PENDING
    ) | Delivery.objects.filter(pk=delivery_id, state=State.SENDING, claimed_until__lt=now)
    with transaction.atomic():
        locked = list(claimable.select_for_update(skip_locked=True).values_list("pk", flat=True))
        if not locked or not Delivery.objects.filter(pk__in=locked).filter(
            state__in=(State.PENDING, State.SENDING)
        ).update(state=State.SENDING, claimed_until=lease):
            return None
    return Delivery.objects.select_related("webhook", "event").get(pk=delivery_id)


def _post(delivery):
    """POST the event; (response code or None, error text)."""
    webhook = delivery.webhook
    # The same bytes the feed's JSON gives for this event.
    body = DeskJSONRenderer().render(event_payload(delivery.event))
    check_url(webhook.url)
    request = urllib.request.Request(
        webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Desk-Event": delivery.event.type,
            "X-Desk-Delivery": str(delivery.uuid),
            "Idempotency-Key": str(delivery.uuid),
            "X-Desk-Signature": sign(webhook.secret, body),
        },
    )
    try:
        with _opener().open(request, timeout=settings.DESK_WEBHOOK_TIMEOUT) as response:
            response.read(65536)
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, str(getattr(error, "reason", error))[:500] or type(error).__name__


def _opener():
    # Redirects are not followed: a public URL could otherwise send the POST to a private address.
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    return urllib.request.build_opener(NoRedirect)


def delivery_attempt(*, delivery_id):
    """Make one attempt of a delivery if it is due; the delay until the next one, or None when done."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    started = time.monotonic()
    try:
        code, error = _post(delivery)
        # Network errors, timeouts, 5xx and 429 may pass; any other answer will not change by waiting.
        retry = code is None or code >= 500 or code == 429
    except UnsafeURL as unsafe:
        code, error, retry = None, str(unsafe), False
    duration_ms = int((time.monotonic() - started) * 1000)
    attempts = delivery.attempts + 1
    if code is not None and 200 <= code < 300:
        state, delay = State.DELIVERED, None
    elif retry and attempts < settings.DESK_WEBHOOK_MAX_ATTEMPTS:
        state, delay = State.PENDING, retry_delay(attempts)
    else:
        state, delay = State.FAILED, None
    now = timezone.now()
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery, number=attempts, response_code=code, duration_ms=duration_ms, error=error
        )
        Delivery.objects.filter(pk=delivery.pk).update(
            state=state,
            attempts=attempts,
            response_code=code,
            duration_ms=duration_ms,
            error=error,
            claimed_until=None,
            next_attempt_at=now + timedelta(seconds=delay or 0),
            updated_at=now,
        )
        if code == 410:
            # Gone: the receiver asks to be forgotten, so the subscription stops.
            Webhook.objects.filter(pk=delivery.webhook_id).update(active=False, updated_at=now)
    return delay


def delivery_redeliver(*, delivery):
    """Send a delivery again from now, whatever became of it; its attempts go on counting."""
    Delivery.objects.filter(pk=delivery.pk).update(
        state=State.PENDING, next_attempt_at=timezone.now(), claimed_until=None, updated_at=timezone.now()
    )
    delivery.refresh_from_db()
    return delivery
