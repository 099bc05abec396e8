"""Staff pages opened from the Saleor Dashboard: the token, the session, the rights, the order's "Livraison".

The Dashboard posts the staff token (``accessToken``) to ``/pilotage/tableau-de-bord/<page>/``
(a NEW_TAB extension with method POST, as ``saleor-dashboard`` 3.23's ``openPOSTinNewTab``).
Tokens here are signed by the Saleor stand-in's key (``marketplace.saleor.standin.signing``),
the way a real Saleor signs them; the foreign one by a key of another "Saleor".
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import html
import json
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.utils import timezone
from jwcrypto import jwk, jws

from marketplace.core.staff_rights import SESSION_KEY
from marketplace.saleor.standin import signing

ORDER_ID = base64.b64encode(b"Order:7f1c2d3e-0000-4000-8000-000000000042").decode()
ENTRY = "/pilotage/tableau-de-bord/{}/"


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def order_day(day, specs):
    """The small planned day whose collect+deliver pair belongs to a storefront order."""
    from delivery.actions import upsert_tasks
    from delivery.day_planning import plan_day

    key = f"order:{ORDER_ID}:fromagerie"
    mapped = [dataclasses.replace(s, source=s.source.replace("test:ship1", key),
                                  shipment_key=s.shipment_key.replace("test:ship1", key)) for s in specs]
    upsert_tasks(day, mapped)
    plan_day(day, time_limit_s=2)
    return day


def said(response) -> str:
    """The page's text as a person reads it (entities decoded)."""
    return html.unescape(response.content.decode())


def open_from_dashboard(client, page: str, token: str, **fields):
    return client.post(ENTRY.format(page), {"accessToken": token, "appId": signing.STANDIN_APP_ID,
                                            "saleorApiUrl": signing.issuer(), **fields})


def foreign_token(now: dt.datetime, issuer: str = "https://autre-saleor.example/graphql/") -> str:
    key = jwk.JWK.from_pyca(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    claims = {"iss": issuer, "exp": int(now.timestamp()) + 300, "iat": int(now.timestamp()), "owner": "saleor",
              "type": "thirdparty", "email": "intrus@exemple.fr", "is_staff": True, "app": signing.STANDIN_APP_ID,
              "user_permissions": ["MANAGE_ORDERS", "MANAGE_STAFF"]}
    token = jws.JWS(json.dumps(claims).encode())
    token.add_signature(key, alg="RS256", protected={"alg": "RS256", "kid": key.thumbprint(), "typ": "JWT"})
    return token.serialize(compact=True)


def test_a_token_signed_by_the_stand_in_opens_the_orders_livraison(client, order_day, now):
    # given a staff member of Saleor who manages orders
    token = signing.issue_staff_token("claire.martin@mormal.fr", ["MANAGE_ORDERS", "MANAGE_PRODUCTS"], now=now)
    # when the Dashboard's "Livraison" action posts the token and the order's id
    opened = open_from_dashboard(client, "livraison", token, orderId=ORDER_ID)
    # then a session is open and the order's page shows its two van tasks, stop, van and driver
    assert opened.status_code == 303 and opened["Location"].startswith("/livraison/commande/?commande=")
    page = client.get(opened["Location"])
    assert page.status_code == 200
    text = said(page)
    assert "Collecte chez le commerçant" in text and "Livraison à domicile" in text
    assert "Bernard" in text and "n° " in text and "Prévue" in text
    assert said(page).count('data-task-id="') == 2
    # no second password: an account without a usable password and without Django staff status
    user = get_user_model().objects.get(email="claire.martin@mormal.fr")
    assert not user.has_usable_password() and not user.is_staff
    assert sorted(client.session[SESSION_KEY]) == ["indicators", "rounds"]
    assert client.session.get_expiry_age() == 10 * 3600  # a working day, not the usual fortnight


def test_the_same_staff_member_comes_back_to_the_same_account(client, order_day, now):
    for _ in range(2):
        token = signing.issue_staff_token("Claire.Martin@mormal.fr", ["MANAGE_ORDERS"], now=now)
        assert open_from_dashboard(client, "tournees", token).status_code == 303
    assert get_user_model().objects.filter(email__iexact="claire.martin@mormal.fr").count() == 1


@pytest.mark.parametrize("case, expected", [
    ("expired", "a expiré"),
    ("foreign", "ne vient pas de la boutique Saleor de la plateforme"),
    ("tampered", "La signature de ce jeton n'est pas valable"),
    ("missing", "n'a pas transmis de jeton"),
    ("garbage", "illisible"),
    ("not_staff", "n'appartient pas à l'équipe"),
])
def test_a_bad_token_is_refused_with_a_french_403(client, db, now, case, expected):
    good = signing.issue_staff_token("claire@mormal.fr", ["MANAGE_ORDERS"], now=now)
    header, payload, signature = good.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["user_permissions"].append("MANAGE_STAFF")  # a privilege the signature does not cover
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    token = {
        "expired": signing.issue_staff_token("claire@mormal.fr", ["MANAGE_ORDERS"], now=now - dt.timedelta(minutes=10)),
        "foreign": foreign_token(now),
        "tampered": f"{header}.{forged}.{signature}",
        "missing": "",
        "garbage": "pas-un-jeton",
        "not_staff": signing.issue_staff_token("client@exemple.fr", [], now=now, is_staff=False),
    }[case]
    refused = open_from_dashboard(client, "livraison", token, orderId=ORDER_ID)
    assert refused.status_code == 403
    assert expected in said(refused)
    assert SESSION_KEY not in client.session and "_auth_user_id" not in client.session


def test_a_foreign_token_naming_our_stand_in_as_issuer_is_still_refused(client, db, now):
    # another key claiming to be our Saleor: the kid is unknown to its key set
    refused = open_from_dashboard(client, "livraison", foreign_token(now, issuer=signing.issuer()))
    assert refused.status_code == 403 and "signature de ce jeton" in said(refused)


def test_a_staff_member_without_the_permission_gets_a_french_403(client, order_day, now):
    # given a Saleor staff member who manages products only
    token = signing.issue_staff_token("paul@mormal.fr", ["MANAGE_PRODUCTS"], now=now)
    refused = open_from_dashboard(client, "livraison", token, orderId=ORDER_ID)
    assert refused.status_code == 403
    text = said(refused)
    assert "Votre compte Saleor n'a pas le droit d'ouvrir cette page" in text and "MANAGE_ORDERS" in text
    # and the session opened for him does not open the other staff pages either
    for url in ("/livraison/", f"/livraison/jour/{order_day.pk}/planification/", "/pilotage/taches-en-echec/",
                "/vendeur/gestion/", "/pilotage/indicateurs/"):
        answer = client.get(url)
        assert answer.status_code == 403, url
        assert "n'a pas le droit" in said(answer)


def test_permissions_map_to_the_pages_of_the_rule(client, order_day, now):
    token = signing.issue_staff_token("admin.saleor@mormal.fr", ["MANAGE_STAFF"], now=now)
    assert open_from_dashboard(client, "vendeurs", token)["Location"] == "/vendeur/gestion/"
    assert client.get("/vendeur/gestion/").status_code == 200
    assert client.get("/pilotage/taches-en-echec/").status_code == 200
    assert client.get("/livraison/").status_code == 403  # MANAGE_STAFF does not run the van
    # the admin is not opened by a Dashboard sign-in
    assert client.get("/admin/").status_code == 302


def test_navigation_entries_lead_to_the_day_and_its_planning(client, order_day, now, settings):
    token = signing.issue_staff_token("claire@mormal.fr", ["MANAGE_ORDERS"], now=now)
    planning = open_from_dashboard(client, "planification", token)
    assert planning["Location"] == f"/livraison/jour/{order_day.pk}/planification/"
    assert client.get(planning["Location"]).status_code == 200
    token = signing.issue_staff_token("claire@mormal.fr", ["MANAGE_ORDERS"], now=now)
    assert open_from_dashboard(client, "indicateurs", token)["Location"] == "/pilotage/indicateurs/"


def test_a_platform_administrator_signs_in_directly_not_from_the_dashboard(client, db, now):
    get_user_model().objects.create_superuser("equipe", "equipe@mormal.fr", "mot-de-passe-2026")
    token = signing.issue_staff_token("equipe@mormal.fr", ["MANAGE_ORDERS", "MANAGE_STAFF"], now=now)
    refused = open_from_dashboard(client, "tournees", token)
    assert refused.status_code == 403 and "se connecte directement" in said(refused)


def test_a_vendors_or_shoppers_account_with_the_same_email_is_never_opened_from_a_token(client, db, now):
    shop_owner = get_user_model().objects.create_user("boulangere", "boulangere@mormal.fr", "mot-de-passe-2026")
    token = signing.issue_staff_token("Boulangere@mormal.fr", ["MANAGE_ORDERS"], now=now)

    refused = open_from_dashboard(client, "tournees", token)

    assert refused.status_code == 403 and "un courriel à lui" in said(refused)
    assert "_auth_user_id" not in client.session
    shop_owner.refresh_from_db()
    assert not shop_owner.groups.exists() and not shop_owner.is_staff


def test_staff_signed_in_directly_keep_every_staff_page(client, order_day):
    staff = get_user_model().objects.create_user("agent", "agent@mormal.fr", "mot-de-passe-2026", is_staff=True)
    client.force_login(staff)
    for url in (f"/livraison/commande/?commande={ORDER_ID}", "/livraison/", "/pilotage/taches-en-echec/",
                "/vendeur/gestion/"):
        assert client.get(url).status_code == 200, url
    # the order's page stands alone too, and frames stay forbidden outside the Dashboard
    page = client.get(f"/livraison/commande/?commande={ORDER_ID}")
    assert page["X-Frame-Options"] == "DENY" and "Content-Security-Policy" not in page


def test_only_the_dashboard_may_frame_the_pages_it_opened(client, order_day, now, settings):
    settings.SALEOR_DASHBOARD_ORIGINS = ["https://dashboard.mormal.fr"]
    bridge = client.get(ENTRY.format("tournees") + "?saleorApiUrl=x&id=QXBwOjE%3D")
    assert bridge.status_code == 200 and "X-Frame-Options" not in bridge
    assert bridge["Content-Security-Policy"] == "frame-ancestors 'self' https://dashboard.mormal.fr"
    assert "https://dashboard.mormal.fr" in said(bridge)  # the one origin the bridge trusts
    token = signing.issue_staff_token("claire@mormal.fr", ["MANAGE_ORDERS"], now=now)
    page = client.get(open_from_dashboard(client, "livraison", token, orderId=ORDER_ID)["Location"])
    assert page["Content-Security-Policy"] == "frame-ancestors 'self' https://dashboard.mormal.fr"
    assert "X-Frame-Options" not in page


def test_the_stand_in_serves_its_public_keys_where_saleor_does(client, db, now):
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    assert [k["alg"] for k in keys] == ["RS256"] and "d" not in keys[0]  # public half only
    header = json.loads(base64.urlsafe_b64decode(signing.issue_staff_token("a@b.fr", [], now=now).split(".")[0] + "=="))
    assert header["kid"] == keys[0]["kid"]


def test_an_order_without_van_tasks_says_so(client, db, now):
    token = signing.issue_staff_token("claire@mormal.fr", ["MANAGE_ORDERS"], now=now)
    page = client.get(open_from_dashboard(client, "livraison", token, orderId="T3JkZXI6aW5jb25udWU=")["Location"])
    assert page.status_code == 200 and "Aucune tâche du camion pour cette commande" in said(page)


# ---------------------------------------------------------------------- in Chromium

#: What the Dashboard's "Livraison" action does (saleor-dashboard 3.23 ``openPOSTinNewTab``): a
#: hidden form with the extension's token, the App id, the API URL and the order's id, posted.
DASHBOARD_POST = """<!doctype html><html lang="fr"><head><title>Saleor</title></head><body>
<form id="f" method="POST" action="{action}">
<input type="hidden" name="orderId" value="{order}"><input type="hidden" name="accessToken" value="{token}">
<input type="hidden" name="appId" value="{app}"><input type="hidden" name="saleorApiUrl" value="{api}">
</form><script>document.getElementById('f').submit()</script></body></html>"""


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_livraison_opens_in_chromium_from_the_dashboards_post_and_passes_axe(
        live_server, order_day, monkeypatch, viewport):
    from tests.browser import chromium_page, serious_violations

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread
    token = signing.issue_staff_token("claire.martin@mormal.fr", ["MANAGE_ORDERS"], now=timezone.now())
    dashboard = "http://127.0.0.1:9/dashboard/orders/"  # answered by Playwright, never by a server
    with chromium_page(viewport=viewport, is_mobile=viewport["width"] < 500) as page:
        page.route(dashboard, lambda route: route.fulfill(content_type="text/html", body=DASHBOARD_POST.format(
            action=live_server.url + ENTRY.format("livraison"), order=ORDER_ID, token=token,
            app=signing.STANDIN_APP_ID, api=signing.issuer())))
        page.goto(dashboard)
        page.wait_for_url("**/livraison/commande/?commande=*")
        assert page.get_by_role("heading", name="Livraison de la commande").is_visible()
        rows = page.locator("tbody tr")
        assert rows.count() == 2
        assert "Bernard" in page.locator("table").inner_text()
        # the table fits or scrolls inside the page at phone width, never the whole page sideways
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        violations = serious_violations(page)
    assert violations == []
    assert overflow <= 1


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_the_bridge_page_ignores_a_handshake_from_elsewhere_and_passes_axe(live_server, db, monkeypatch,
                                                                          settings, viewport):
    from tests.browser import chromium_page, serious_violations

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.SALEOR_DASHBOARD_ORIGINS = ["https://gestion.pays-mormal.fr"]
    token = signing.issue_staff_token("claire.martin@mormal.fr", ["MANAGE_ORDERS"], now=timezone.now())
    bridge = live_server.url + ENTRY.format("tournees")
    with chromium_page(viewport=viewport, is_mobile=viewport["width"] < 500) as page:
        page.goto(bridge)
        # a page that is not the Dashboard (here: the bridge's own origin) hands it a token
        page.evaluate("token => window.postMessage({type: 'handshake', payload: {token}}, '*')", token)
        page.wait_for_timeout(500)
        assert page.url == bridge and "Connexion en cours" in page.locator("#dashboard-status").inner_text()
        violations = serious_violations(page)
    assert violations == []
    assert not get_user_model().objects.filter(email="claire.martin@mormal.fr").exists()


class _PretendDashboard:
    """A real local HTTP server answering one page (a real server: Chromium's local-network checks
    refuse a page that is not itself local to frame the App on localhost)."""

    def __init__(self, html_for) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from threading import Thread

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server API
                body = html_for().encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.browser
def test_a_navigation_entry_opens_inside_the_dashboards_iframe_with_the_app_bridge_token(
        live_server, order_day, monkeypatch, settings):
    from tests.browser import chromium_page

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    token = signing.issue_staff_token("claire.martin@mormal.fr", ["MANAGE_ORDERS"], now=timezone.now())
    frame_src = live_server.url + ENTRY.format("planification") + "?saleorApiUrl=" + signing.issuer() + "&id=x"

    def host() -> str:
        # the Dashboard's AppFrame: an iframe, then the App Bridge handshake carrying the token on load
        return f"""<!doctype html><html lang="fr"><head><title>Saleor</title></head><body>
        <iframe id="app" title="App" src="{frame_src}" style="width:1200px;height:800px"></iframe><script>
        var frame = document.getElementById('app'), sent = false;
        frame.addEventListener('load', function () {{ if (sent) return; sent = true;
          frame.contentWindow.postMessage({{type: 'handshake', payload: {{token: '{token}', version: 1}}}},
                                          '{live_server.url}'); }});
        </script></body></html>"""

    dashboard = _PretendDashboard(host)
    # same host name as the App, another port: the same site, so the App's Lax session cookie is kept
    dashboard_origin = f"http://{urlsplit(live_server.url).hostname}:{dashboard.httpd.server_address[1]}"
    settings.SALEOR_DASHBOARD_ORIGINS = [dashboard_origin]
    try:
        with chromium_page(viewport={"width": 1280, "height": 900}) as page:
            page.goto(dashboard_origin + "/dashboard/")
            page.frame_locator("#app").locator("h1").filter(has_text="Planification").wait_for(timeout=20000)
            assert f"/livraison/jour/{order_day.pk}/planification/" in page.frames[1].url
    finally:
        dashboard.close()
