"""The PrestaShop key is typed by staff, stored encrypted, never shown, and never an environment variable."""

from django.db import connection

from integrations.prestashop.models import PrestaShopSource

from .seed import KEY

ADD = "/admin/prestashop/prestashopsource/add/"


def _form(**fields):
    return {"name": "CCI Grand Hainaut", "url": "https://boutique.cci.example/", "output_format": "XML",
            "vendor_mode": "manufacturer", "active": "on",
            "vendor_links-TOTAL_FORMS": "0", "vendor_links-INITIAL_FORMS": "0", **fields}


def test_staff_type_the_key_and_it_is_stored_encrypted_and_never_shown(admin_client):
    response = admin_client.post(ADD, _form(webservice_key=KEY))
    assert response.status_code == 302, response.content.decode()[:2000]
    source = PrestaShopSource.objects.get()
    assert source.key() == KEY
    with connection.cursor() as cursor:
        cursor.execute("SELECT key_encrypted FROM prestashop_prestashopsource WHERE id = %s", [source.pk])
        assert KEY not in cursor.fetchone()[0]
    page = admin_client.get(f"/admin/prestashop/prestashopsource/{source.pk}/change/").content.decode()
    assert "Clé Webservice" in page and KEY not in page
    # saving again with the key left empty keeps it
    admin_client.post(f"/admin/prestashop/prestashopsource/{source.pk}/change/", _form(name="CCI (renommée)"))
    source.refresh_from_db()
    assert (source.name, source.key()) == ("CCI (renommée)", KEY)


def test_no_environment_variable_can_be_named_as_the_key(admin_client, settings):
    # an admin trying the old field to send the server's own secret to their URL
    response = admin_client.post(ADD, _form(key_env="DJANGO_SECRET_KEY", webservice_key=KEY))
    assert response.status_code == 302
    source = PrestaShopSource.objects.get()
    assert not hasattr(source, "key_env")
    assert source.key() == KEY and settings.SECRET_KEY not in source.key()
    assert "key_env" not in {f.name for f in PrestaShopSource._meta.get_fields()}


def test_a_new_source_without_a_key_or_with_a_malformed_one_is_refused_in_french(admin_client):
    missing = admin_client.post(ADD, _form()).content.decode()
    assert "Saisissez la clé Webservice de cette boutique." in missing
    short = admin_client.post(ADD, _form(webservice_key="abc")).content.decode()
    assert "Une clé Webservice PrestaShop compte 32 lettres et chiffres." in short
    assert not PrestaShopSource.objects.exists()
