"""Suite-wide fixtures. The database is always a real PostgreSQL (see ``marketplace.launcher``).

``--clock 2027-01-02T00:30`` (or ``MORMAL_TEST_CLOCK``) runs the whole suite as if the wall clock
read that instant in Paris time, and then went on ticking: the suite must pass at any date and
hour, so a night, a weekend, a month end or a DST change is tried by shifting the clock, not by
waiting for it. See ``README.md`` for the four moments CI-proofing uses.
"""

import datetime as dt
import os
import zoneinfo

import pytest

# One Redis database for the whole run, chosen by marketplace.settings_test before Django and
# Celery read their settings: Celery caches its producer pool and result backend, so switching
# URLs inside tests would strand tasks. pytest may load this file before pytest-django imports
# the settings, so the choice is imported from there rather than read from the environment.
from marketplace.settings_test import TEST_REDIS_URL

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def pytest_addoption(parser):
    parser.addoption(
        "--clock", default=os.environ.get("MORMAL_TEST_CLOCK", ""),
        help="run the suite with the wall clock shifted to this Paris local time (ISO, e.g. 2027-01-02T00:30)",
    )


def clock_instant(value: str) -> dt.datetime:
    """The aware instant ``value`` names, read as Paris local time when it has no offset."""
    at = dt.datetime.fromisoformat(value)
    return at if at.tzinfo else at.replace(tzinfo=PARIS)


def pytest_configure(config):
    value = config.getoption("--clock")
    if not value:
        return
    import time_machine

    # tick=True: time goes on from the destination, so timeouts and expiries still behave.
    traveller = time_machine.travel(clock_instant(value), tick=True)
    traveller.start()
    config._mormal_clock = traveller


def pytest_unconfigure(config):
    traveller = getattr(config, "_mormal_clock", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    value = config.getoption("--clock")
    if value:
        return f"clock shifted to {clock_instant(value).isoformat()} (Europe/Paris), ticking"
    return None


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
def fresh_app_token():
    """Forget the App token this process holds (up to SALEOR_TOKEN_CACHE_S): each test has its own installation rows."""
    from marketplace.saleor.installation import forget_tokens

    forget_tokens()
    yield
    forget_tokens()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty Django cache (the storefront caches Saleor's answers)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def stripe_gateway(settings):
    """Saleor lists Stripe's app as its card gateway (the demo card is off); the stand-in's Stripe is emptied."""
    from marketplace.saleor.standin import stripe_app

    settings.PAYMENT_DEMO_GATEWAY = False
    settings.STANDIN_STRIPE_APP = True
    stripe_app.reset()
    yield stripe_app
    stripe_app.reset()
