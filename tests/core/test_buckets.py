"""Token buckets, in the database and in Redis: spend, refuse, refill, and no double spend."""

import threading
import time

import pytest

from desk.core import buckets
from desk.core.models import Bucket


@pytest.fixture(params=["database", "redis"])
def store(request, settings):
    """Each test runs on both stores: the database's rows, and a private redis-server."""
    if request.param == "redis":
        settings.REDIS_URL = request.getfixturevalue("redis_server").url
    else:
        request.getfixturevalue("db")
        settings.REDIS_URL = ""
    return request.param


def test_a_bucket_spends_what_it_holds_then_refuses(store):
    outcomes = [buckets.take("k", capacity=3, period=3600) for _ in range(4)]
    assert [outcome.taken for outcome in outcomes] == [True, True, True, False]
    assert round(outcomes[2].remaining) == 0
    assert outcomes[3].retry_after == pytest.approx(1200, abs=2)
    assert outcomes[3].reset == pytest.approx(3600, abs=2)


def test_looking_spends_nothing(store):
    assert buckets.take("k", capacity=1, period=3600, cost=0).taken
    assert buckets.take("k", capacity=1, period=3600).taken
    assert not buckets.take("k", capacity=1, period=3600, cost=0).taken
    assert not buckets.take("k", capacity=1, period=3600).taken


def test_buckets_refill_with_time_and_are_separate(store):
    assert buckets.take("a", capacity=2, period=0.4, cost=2).taken
    assert not buckets.take("a", capacity=2, period=0.4).taken
    assert buckets.take("b", capacity=2, period=0.4).taken, "another key has its own bucket"
    time.sleep(0.25)
    assert buckets.take("a", capacity=2, period=0.4).taken


@pytest.mark.django_db(transaction=True)
def test_concurrent_takes_never_spend_more_than_the_bucket_holds(store):
    # Five threads, each with its own connection, spend 50 times from a bucket of 25.
    taken, errors = [], []

    def spend():
        try:
            for _ in range(10):
                taken.append(buckets.take("shared", capacity=25, period=3600).taken)
        except Exception as exc:  # reported below, not swallowed
            errors.append(exc)

    threads = [threading.Thread(target=spend) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert taken.count(True) == 25
    if store == "database":
        assert Bucket.objects.count() == 1
