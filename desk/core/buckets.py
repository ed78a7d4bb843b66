"""Token buckets shared by every host: in Redis when `REDIS_URL` is set, else in the database.

A bucket holds up to `capacity` tokens and refills at `capacity / period` tokens a second; `take` spends
some when there are enough. Admin logins and API rate limits count with them.
"""

import hashlib
import math
import time
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Least

from desk.core.models import Bucket
from desk.core.redis_client import bounded_redis

# Refill and spend in one step, on Redis's own clock so that hosts' clocks do not matter.
_REDIS_TAKE = """
local capacity, rate, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1e6
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local taken = 0
if tokens >= math.max(cost, 1) then
  tokens = tokens - cost
  taken = 1
end
if cost > 0 then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
  redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 1)
end
return {taken, tostring(tokens)}
"""


@dataclass(frozen=True)
class Outcome:
    """What a `take` found: whether the tokens were spent, what is left, and when one more comes."""

    taken: bool
    remaining: float
    capacity: int
    rate: float

    @property
    def retry_after(self):
        """Whole seconds until the bucket holds one token again (0 when it does)."""
        return 0 if self.remaining >= 1 else max(1, math.ceil((1 - self.remaining) / self.rate))

    @property
    def reset(self):
        """Whole seconds until the bucket is full again."""
        return math.ceil((self.capacity - self.remaining) / self.rate)


def bucket_key(kind, value):
    """The key of a bucket for a person or an address, hashed so that neither is stored in the clear."""
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def take(key, *, capacity, period, cost=1):
    """Spend `cost` tokens of the bucket `key` if it holds them; `cost=0` only looks whether one is left."""
    rate = capacity / period
    if settings.REDIS_URL:
        taken, remaining = _redis_script(settings.REDIS_URL)(
            keys=[settings.DESK_BUCKET_PREFIX + key], args=[capacity, rate, cost]
        )
        return Outcome(bool(taken), float(remaining), capacity, rate)
    return _database_take(key, capacity, rate, cost)


def _database_take(key, capacity, rate, cost):
    """One UPDATE refills and spends, so that concurrent requests cannot both spend the last token."""
    now = time.time()
    rows = Bucket.objects.filter(key=key)
    if cost:
        # min(capacity, tokens + elapsed × rate) >= cost, with capacity >= cost, written without MIN.
        enough = Value(float(cost)) - (Value(now) - F("updated_at")) * Value(rate)
        refilled = Least(Value(float(capacity)), F("tokens") + (Value(now) - F("updated_at")) * Value(rate))
        if cost <= capacity and rows.filter(tokens__gte=enough).update(
            tokens=refilled - Value(float(cost)), updated_at=Value(now)
        ):
            return Outcome(True, rows.values_list("tokens", flat=True).first() or 0.0, capacity, rate)
    state = rows.values_list("tokens", "updated_at").first()
    if state is not None:
        remaining = min(float(capacity), state[0] + max(0.0, now - state[1]) * rate)
        return Outcome(cost == 0 and remaining >= 1, remaining, capacity, rate)
    if cost == 0 or cost > capacity:
        return Outcome(cost == 0, float(capacity), capacity, rate)
    try:
        # A new bucket starts full, less what this request spends.
        with transaction.atomic():
            Bucket.objects.create(key=key, tokens=float(capacity - cost), updated_at=now)
    except IntegrityError:  # another request created it first: spend from that one
        return _database_take(key, capacity, rate, cost)
    return Outcome(True, float(capacity - cost), capacity, rate)


@cache
def _redis_script(url):
    return bounded_redis(url).register_script(_REDIS_TAKE)
