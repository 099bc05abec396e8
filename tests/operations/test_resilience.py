"""Nothing is lost or done twice when a worker dies mid-task, or Saleor or PrestaShop is down."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.result import AsyncResult
from django.db import connection

from delivery.actions import upsert_tasks
from delivery.models import StoredPlan
from integrations.prestashop.models import IdMapping
from integrations.prestashop.tasks import import_catalogue_task
from marketplace.operations import deadletters
from marketplace.operations.models import DeadLetter
from marketplace.vendors.models import Product
from marketplace.vendors.tasks import push_unsynced_products
from tests.delivery.conftest import day, depot, specs, territory, van  # noqa: F401
from tests.prestashop.conftest import make_vendor, saleor, server, shop, source  # noqa: F401
from tests.prestashop.double import DoubleServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def eager():
    from marketplace.celery import app

    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = False


def start_worker(redis_url: str) -> subprocess.Popen:
    """A real Celery worker process on the test database and the test Redis."""
    db = connection.settings_dict
    env = dict(os.environ, MORMAL_DEV="1", CELERY_BROKER_URL=redis_url, CELERY_RESULT_BACKEND=redis_url,
               CELERY_VISIBILITY_TIMEOUT="3",
               DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}")
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--pool=solo",
                             "--loglevel=WARNING", "--without-heartbeat", "--without-mingle", "--without-gossip"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(predicate, timeout: float, what: str):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_planning_is_replaced_and_the_day_is_planned_once(day, specs, redis_url):  # noqa: F811
    from delivery.tasks import plan_day

    upsert_tasks(day, specs)
    day.solve_time_limit_s = 6
    day.save(update_fields=["solve_time_limit_s"])
    first = start_worker(redis_url)
    try:
        result = plan_day.delay(day.pk)
        # when the worker is in the middle of solving, it is killed without warning
        wait_for(lambda: AsyncResult(result.id).state == "PROGRESS", 120, "the first worker to start solving")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        assert not StoredPlan.objects.filter(day=day).exists()  # nothing half-stored
        # then another worker picks the same message up again (acks late) and finishes it
        second = start_worker(redis_url)
        try:
            body = AsyncResult(result.id).get(timeout=180)
        finally:
            second.terminate()
            second.wait(20)
    finally:
        if first.poll() is None:
            first.kill()
    assert body["status"] == "planned"
    assert StoredPlan.objects.filter(day=day).count() == 1
    plan = StoredPlan.objects.get(day=day)
    planned = [s.task_id for r in plan.rounds.all() for s in r.stops.all()]
    assert len(planned) == len(set(planned)) == day.tasks.count()


def test_prestashop_down_goes_to_dead_letters_and_a_retry_imports_once(source, server, shop, eager):  # noqa: F811
    # given PrestaShop is unreachable during the nightly import
    server.stop()
    result = import_catalogue_task.apply(args=[source.pk])  # eager: its bounded retries run at once
    assert result.failed() and "PrestaShopTransportError" in repr(result.result)
    letter = DeadLetter.objects.get(task_name="prestashop.import_catalogue")
    assert letter.args == [source.pk] and letter.resolved_at is None
    assert not IdMapping.objects.filter(source=source).exists()

    # when it is back (same shop, new address) and staff retry the job from the list
    back = DoubleServer(shop).start()
    try:
        source.url = back.url
        source.save(update_fields=["url"])
        deadletters.retry(letter, by="agent")
        mapped = IdMapping.objects.filter(source=source).count()
        assert mapped > 0
        assert import_catalogue_task.apply(args=letter.args).successful()  # the nightly run comes round again
    finally:
        back.stop()
    # then everything is imported, and running it again duplicates nothing
    assert IdMapping.objects.filter(source=source).count() == mapped
    letter.refresh_from_db()
    assert letter.resolved_by == "agent" and letter.retried_as


def test_saleor_down_keeps_the_vendors_product_and_pushes_it_once_when_back(make_vendor, settings, saleor):  # noqa: F811
    from decimal import Decimal

    from marketplace.vendors import actions
    from marketplace.vendors.models import ProductVariant

    vendor = make_vendor("ferme-resiliente", "Bavay", "55555555")
    settings.SALEOR_API_URL = "http://127.0.0.1:1/graphql/"  # Saleor unreachable
    settings.SALEOR_APP_TOKEN = "unused"
    product = Product(name="Beurre doux", category="fromagerie", temperature="chilled", origin="farm", unit="unit")
    outcome = actions.save_product(vendor, product, [ProductVariant(name="250 g", price=Decimal("3.10"), stock=12)])
    assert not outcome.synced
    kept = Product.objects.get(name="Beurre doux")
    assert kept.sync_error and not kept.saleor_product_id and kept.variants.get().stock == 12

    settings.SALEOR_API_URL = ""  # Saleor is back
    assert push_unsynced_products() == 1
    assert push_unsynced_products() == 0
    kept.refresh_from_db()
    assert kept.saleor_product_id and not kept.sync_error
    found = saleor.catalogue.list_products(__import__("marketplace.saleor.port", fromlist=["ProductQuery"]).ProductQuery(
        search="Beurre doux", only_published=False))
    assert found.total_count == 1
