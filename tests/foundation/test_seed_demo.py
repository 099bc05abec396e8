"""``seed_demo`` against a real Saleor commits each seeder's rows as it goes.

Saleor calls back into the app while the demo is seeded: it downloads product photos from our
URLs and asks our shipping webhook for the van's methods, from other connections. Seen on a
live Saleor 3.23: inside one transaction per seeder, every photo download got a 404 and every
short-circuit home order found no shipping method.
"""

import pytest
from django.core.management import call_command
from django.db import connection

from marketplace.core.management.commands import seed_demo

seen: list[bool] = []


def probe(stdout) -> None:
    """A seeder that records whether it runs inside a transaction."""
    seen.append(connection.in_atomic_block)


@pytest.fixture
def only_the_probe(monkeypatch):
    seen.clear()
    monkeypatch.setattr(seed_demo, "SEEDERS", [f"{__name__}.probe"])
    monkeypatch.setattr(seed_demo, "DEMO_ACCOUNTS", [])


@pytest.mark.django_db(transaction=True)
def test_with_a_real_saleor_seeders_run_outside_a_transaction(only_the_probe, settings):
    # given a real Saleor configured
    settings.SALEOR_API_URL = "http://saleor.invalid/graphql/"
    # when the demo is seeded
    call_command("seed_demo")
    # then the seeder's writes are committed as they happen, visible to Saleor's callbacks
    assert seen == [False]


@pytest.mark.django_db(transaction=True)
def test_with_the_stand_in_each_seeder_is_all_or_nothing(only_the_probe, settings):
    # given no real Saleor (the in-process stand-in)
    settings.SALEOR_API_URL = ""
    # when the demo is seeded
    call_command("seed_demo")
    # then each seeder still runs in its own transaction
    assert seen == [True]
