"""The restore drill: a marketplace filled through its own flows, backed up, restored, shown again.

Vendors register and upload a product photo, a shopper orders from two of them for home
delivery (the order webhook makes the van's tasks), the day is planned, and the driver marks
the cheese delivered with a proof photo. The backup script then dumps the database and copies
the media; its restore loads them into a fresh database and folder; every page the staff, the
vendor, the shopper and the driver saw must show the same thing again, read from the copy.
"""

import difflib
import io
import re
import subprocess
import sys
import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from PIL import Image

from tests.deploy.pg import SCRIPT, scratch_databases, server_env
from tests.storefront.conftest import calendar_for, make_shopper, two_vendors  # noqa: F401 (fixtures)
from tests.vendors.conftest import make_member, make_product, make_vendor, saleor  # noqa: F401 (fixtures)

PNG_1PX = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
           "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
# A phone link is signed when the page is drawn: its payload (shift token, expiry) is data, its
# signing time and signature are not.
SIGNED_AT = re.compile(r"(/livraison/tel/[\w-]+):[\w-]+:[\w-]+/")
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=|"csrfToken":\s*|<meta name="csrf-token" content=)"[^"]*"')


def backup_cli(*args):
    done = subprocess.run([sys.executable, str(SCRIPT), *args], env=server_env(), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def eager_webhooks():
    """Celery tasks (the order webhook's handlers) run in-process, as the worker would run them."""
    from marketplace.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def marketplace_in_use(transactional_db, settings, tmp_path, two_vendors, make_member, calendar_for,  # noqa: F811
                       make_shopper, saleor, eager_webhooks):  # noqa: F811
    """Everything committed, so pg_dump sees it; returns who saw which page."""
    from delivery.actions import get_or_create_day
    from delivery.day_planning import plan_day
    from delivery.models import DeliveryTask, Depot, Van
    from delivery.views.access import phone_path
    from marketplace.storefront import checkout, offers
    from marketplace.territory.models import Commune
    from marketplace.vendors.models import ProductImage

    settings.MEDIA_ROOT = tmp_path / "media"
    cheese, maroilles = two_vendors["cheese"], two_vendors["maroilles"]
    owner = make_member(cheese, "fromager")
    staff = type(owner).objects.create(username="equipe", is_staff=True)

    # the cheese maker uploads a photo of her Maroilles from the vendor pages
    vendor = Client()
    vendor.force_login(owner)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (240, 200, 120)).save(buffer, "PNG")
    photo = SimpleUploadedFile("maroilles.png", buffer.getvalue(), content_type="image/png")
    vendor.post(f"/vendeur/produits/{maroilles.pk}/photos/", {"img-image": photo, "img-alt": "Un Maroilles"})
    image = ProductImage.objects.get(product=maroilles)

    # a shopper in Jolimetz orders bread and cheese for home delivery, cash at the door
    calendar_for("Jolimetz")
    shopper = make_shopper("jeanne")
    cart = None
    for product in (maroilles, two_vendors["bread"]):
        cart = checkout.add_to_cart(cart.id if cart else None, product.variants.get().saleor_variant_id, 1, saleor)
    slot = offers.home_options(shopper.commune)[0]
    checkout.choose_delivery(saleor.checkout.get(cart.id), shopper, slot.key, saleor)
    order = checkout.place_order(cart.id, shopper, shopper.user, "cash", saleor)

    # the day is planned with the community's van
    quesnoy = Commune.objects.get(name="Le Quesnoy")
    depot = Depot.objects.create(name="Dépôt du Quesnoy", address="59530 Le Quesnoy", lon=quesnoy.lon, lat=quesnoy.lat)
    Van.objects.create(name="Camionnette frigo 1", depot=depot)
    day = get_or_create_day(slot.date)
    plan_day(day, time_limit_s=2)
    stored = day.plans.get(is_current=True)
    shift = stored.rounds.get().shift

    # the driver marks the cheese delivered, with a proof photo, from the phone link
    driver = Client()
    phone = phone_path(shift)
    cheese_drop = DeliveryTask.objects.get(kind="home", shipment_key__endswith="fromagerie-test")
    answer = driver.post(phone + "evenements/", content_type="application/json", data={"events": [{
        "uuid": str(uuid.uuid4()), "task_id": cheese_drop.pk, "kind": "delivered",
        "occurred_at": timezone.now().isoformat(), "proof": PNG_1PX}]})
    assert answer.json()["accepted"], answer.content
    cheese_drop.refresh_from_db()
    assert cheese_drop.proof

    vendor_order = cheese.orders.get()
    return {
        "staff": (staff, [f"/livraison/jour/{day.pk}/", f"/livraison/tournee/{stored.rounds.get().pk}/trace.gpx"]),
        "vendor": (owner, ["/vendeur/commandes/", f"/vendeur/commandes/{vendor_order.pk}/",
                           f"/vendeur/photos/{image.pk}/", f"/vendeur/produits/{maroilles.pk}/"]),
        "shopper": (shopper.user, ["/boutique/commandes/", f"/boutique/commandes/{order.number}/"]),
        "driver": (None, [phone]),
        "facts": {"order_number": order.number, "proof": cheese_drop.proof.name, "vendor": cheese.name,
                  "product": maroilles.name, "driver_stop": cheese_drop.name},
    }


def snapshot(seen: dict) -> dict[str, bytes]:
    """Every page as each person sees it (status and body, CSRF tokens blanked)."""
    cache.clear()  # the storefront caches Saleor's answers; read them from the database again
    from marketplace.saleor.standin.transport import shared_stand_in

    shared_stand_in.cache_clear()
    pages = {}
    for who in ("staff", "vendor", "shopper", "driver"):
        user, urls = seen[who]
        client = Client()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = SIGNED_AT.sub(r"\1:signed/", CSRF.sub(r'\1""', body.decode("utf-8", "replace")))
            pages[f"{who} {url}"] = f"{response.status_code} {text}".encode()
    return pages


def test_a_backup_restored_into_a_fresh_database_shows_the_same_pages(marketplace_in_use, settings, tmp_path):
    seen = marketplace_in_use
    facts = seen["facts"]
    before = snapshot(seen)
    assert all(page.startswith(b"200 ") for page in before.values()), {k: v[:60] for k, v in before.items() if not v.startswith(b"200 ")}
    text = b"".join(before.values()).decode()
    for fact in (facts["order_number"], facts["vendor"], facts["product"], facts["driver_stop"]):
        assert fact in text, fact

    # the nightly backup, as the backup service runs it
    source_db = connection.settings_dict["NAME"]
    backups = tmp_path / "backups"
    backup_cli("backup", "--dest", str(backups), "--databases", source_db,
               "--media", f"app={settings.MEDIA_ROOT}", "--now", "2026-11-29T03:30:00+01:00")
    backup_set = backups / "daily" / "2026-11-29"

    with scratch_databases() as make:
        restored_db = make("drill", create=False)
        backup_cli("restore-db", str(backup_set / f"{source_db}.dump"), restored_db, "--create")
        restored_media = tmp_path / "media-restored"
        backup_cli("restore-media", str(backup_set), "app", str(restored_media))

        # the app now reads only the copies: the original media folder is moved out of reach
        original_media = settings.MEDIA_ROOT
        original_media.rename(tmp_path / "media-out-of-reach")
        connection.close()
        connection.settings_dict["NAME"] = restored_db
        settings.MEDIA_ROOT = restored_media
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_database()")
                assert cursor.fetchone()[0] == restored_db
            after = snapshot(seen)
            proof = (restored_media / facts["proof"]).read_bytes()
        finally:
            connection.close()
            connection.settings_dict["NAME"] = source_db

    assert after.keys() == before.keys()
    for page in before:
        diff = "\n".join(difflib.unified_diff(before[page].decode().splitlines(), after[page].decode().splitlines(),
                                              lineterm="", n=1))
        assert after[page] == before[page], f"{page} differs after the restore:\n{diff}"
    assert proof.startswith(b"\x89PNG")
