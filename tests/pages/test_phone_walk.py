"""Every page, walked on a 390 × 844 phone in Chromium: no sideways scrolling, no serious axe finding.

The demo territory is seeded (vendors, products in the Saleor stand-in, shoppers, a planned van
day, short-circuit cycles); then a shopper, a vendor and a staff member each start from their
home page and follow every same-site link (one or two pages per kind of page), and a few pages
only reached by a form are added. Each page must fit the width (``scrollWidth <= clientWidth``
of the document) and axe-core must find no serious or critical WCAG 2.1 A/AA violation. The
pages that fail are photographed into ``/tmp/french/``.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests.browser import chromium_page, serious_violations

PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/french")
#: Not pages of ours to walk: Django's admin, files, and links that change state on GET.
SKIP = re.compile(r"^/(admin|static|media|saleor)/|\.(pdf|csv|gpx|js|json|png|jpg)$|/deconnexion/|/arreter/|/sante/"
                  r"|/telecharger/")
PER_KIND = 2  # pages per URL name (two products, two vendors... are enough)

ROLES = {
    "client": ("client01", "mormal-client-2026", ["/", "/boutique/", "/boutique/panier/", "/circuit-court/"]),
    "vendeur": ("boulangerie", "mormal-vendeur-2026", ["/vendeur/"]),
    "equipe": ("equipe", "mormal-equipe-2026", ["/livraison/", "/pilotage/indicateurs/", "/pilotage/",
                                                 "/vendeur/gestion/", "/circuit-court/equipe/cycles/"]),
}


def _overflow(page) -> int:
    """By how many CSS pixels the page is wider than the screen (0: no sideways scroll)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def _culprits(page) -> list[str]:
    """The innermost elements sticking out past the right edge (to say what to fix)."""
    return page.evaluate("""() => {
        const w = document.documentElement.clientWidth, out = [];
        for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.right > w + 1 && ![...el.children].some(c => c.getBoundingClientRect().right > w + 1))
                out.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''}`
                         + ` (${Math.round(r.right - w)} px)`);
        }
        return [...new Set(out)].slice(0, 4);
    }""")


def _sign_in(page, base, username, password):
    page.goto(base + "/compte/connexion/")
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state()


def _walk(page, base, starts, limit=60):
    """Breadth-first over same-site links from ``starts``; yields each page's path after loading it."""
    seen_kinds: dict[str, int] = {}
    queue, done = list(starts), set()
    while queue and len(done) < limit:
        path = queue.pop(0)
        if path in done or SKIP.search(urlsplit(path).path):
            continue
        try:
            kind = resolve(urlsplit(path).path).view_name
        except Resolver404:
            continue
        if seen_kinds.get(kind, 0) >= PER_KIND:
            continue
        seen_kinds[kind] = seen_kinds.get(kind, 0) + 1
        done.add(path)
        try:
            response = page.goto(base + path)
        except Exception as exc:  # noqa: BLE001 - a download or an aborted navigation is not a page
            if "Download is starting" in str(exc):
                continue
            raise
        if response is None or response.status >= 400 or urlsplit(page.url).path != urlsplit(path).path:
            continue  # refused or redirected elsewhere: the target is walked on its own
        yield path, kind
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            target = urlsplit(urljoin(base + path, href))
            if target.netloc == urlsplit(base).netloc and target.path not in done:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_fits_a_phone_and_passes_axe(live_server, monkeypatch, settings):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.SALEOR_API_URL = ""
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    (SHOTS / "walk").mkdir(parents=True, exist_ok=True)
    base, wide, inaccessible, walked = live_server.url, [], [], {}
    for role, (username, password, starts) in ROLES.items():
        with chromium_page(viewport=PHONE, locale="fr-FR") as page:
            _sign_in(page, base, username, password)
            for path, kind in _walk(page, base, starts):
                walked.setdefault(role, []).append(kind)
                page.screenshot(path=str(SHOTS / "walk" / f"{role}-{kind.replace(':', '-')}.png"))  # to look at
                extra = _overflow(page)
                found = serious_violations(page)
                if extra > 0 or found:
                    name = re.sub(r"[^a-z0-9]+", "-", f"{role}{path}".lower()).strip("-")
                    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
                if extra > 0:
                    wide.append(f"{role} {path}: {extra} px too wide: {', '.join(_culprits(page))}")
                inaccessible.extend(f"{role} {path}: {v['impact']} {v['id']} {v['nodes']}" for v in found)
    kinds = {k for ks in walked.values() for k in ks}
    # the walk reached the pages people were reported to scroll sideways on, and each area
    assert {"home", "storefront:index", "storefront:product", "storefront:cart", "delivery:planning",
            "indicators:dashboard", "vendors:dashboard", "vendors:stock", "vendors:product_edit"} <= kinds, sorted(kinds)
    assert len(kinds) >= 25, sorted(kinds)
    assert not wide and not inaccessible, ("pages scrolling sideways at 390 px:\n" + "\n".join(wide)
                                           + "\naxe serious/critical:\n" + "\n".join(inaccessible))
