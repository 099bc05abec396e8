"""Suite-wide fixtures. The database is always a real PostgreSQL (see ``marketplace.launcher``)."""

import os

import pytest

os.environ.setdefault("MORMAL_DEV", "1")
# One Redis database for the whole run, set before Django and Celery read their settings: Celery
# caches its producer pool and result backend, so switching URLs inside tests would strand tasks.
TEST_REDIS_URL = os.environ.setdefault("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ["CELERY_BROKER_URL"] = TEST_REDIS_URL
os.environ["CELERY_RESULT_BACKEND"] = TEST_REDIS_URL


@pytest.fixture
def communes(db):
    """The 52 real communes, loaded from the shipped CSV."""
    from marketplace.territory.actions import load_communes
    from marketplace.territory.models import Commune

    load_communes()
    return Commune.objects.all()


@pytest.fixture(scope="session")
def redis_url():
    """The real Redis used by tests (database 15, flushed before use)."""
    import redis

    url = TEST_REDIS_URL
    client = redis.Redis.from_url(url)
    client.ping()
    client.flushdb()
    return url


@pytest.fixture(autouse=True)
def fresh_saleor_stand_in():
    """Forget ids the process-wide stand-in gateway cached, since each test rolls its database back."""
    from marketplace.saleor.standin.transport import shared_stand_in

    shared_stand_in.cache_clear()
    yield
    shared_stand_in.cache_clear()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty Django cache (the storefront caches Saleor's answers)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
