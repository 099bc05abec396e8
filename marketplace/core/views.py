"""Platform-level views: home, health, and the error pages (400, 403, 404, 500) in French."""

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render

from .health import check_broker, check_database
from .navigation import HOME_LINKS


def health(request):
    """``{"status": "ok"}`` (200) or ``{"status": "unavailable"}`` (503) from the database and broker.

    Only signed-in staff also get each part's detail (server versions, error messages): to
    anyone else those say which software to attack and leak internal names.
    """
    parts = {"database": check_database(), "broker": check_broker()}
    ok = all(part["ok"] for part in parts.values())
    report: dict = {"status": "ok" if ok else "unavailable"}
    if request.user.is_authenticated and request.user.is_staff:
        report.update(parts)
    return JsonResponse(report, status=200 if ok else 503)


def home(request):
    """Landing page listing the platform's areas."""
    from .seeding import DEMO_ACCOUNTS

    accounts = DEMO_ACCOUNTS if settings.SHOW_DEMO_ACCOUNTS else []
    return render(request, "core/home.html", {"home_links": HOME_LINKS, "demo_accounts": accounts})


# ---------------------------------------------------------------------------------- error pages
#
# Django's own pages say "Not Found" / "Server Error (500)" in English on a blank page. These say
# what happened in French, in the site's layout, with a way back; never the exception's text
# (it is English, and can name internal objects).

logger = logging.getLogger(__name__)

ERRORS = {
    400: ("Demande incomprise", "Cette adresse ou ce formulaire contient une valeur que le site ne comprend pas.",
          "Revenez à la page précédente et réessayez."),
    403: ("Accès refusé", "Vous n'avez pas accès à cette page.",
          "Si vous pensez que c'est une erreur, connectez-vous avec le bon compte ou appelez l'équipe du marché."),
    404: ("Page introuvable", "Cette page n'existe pas, ou plus.",
          "Le lien est peut-être ancien ou mal recopié. Vous pouvez repartir de l'accueil ou de la boutique."),
    500: ("Erreur du site", "Une erreur s'est produite de notre côté : ce n'est pas de votre faute.",
          "L'équipe du marché est prévenue. Réessayez dans quelques minutes."),
}

#: Shown when even the layout cannot be rendered (database down during a 500).
BARE_500 = (
    '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Erreur du site</title></head>'
    "<body><h1>Erreur du site</h1><p>Une erreur s'est produite de notre côté : ce n'est pas de votre faute. "
    "L'équipe du marché est prévenue. Réessayez dans quelques minutes.</p>"
    '<p><a href="/">Revenir à l\'accueil</a></p></body></html>'
)


def error_page(request, status: int, hint: str = "") -> HttpResponse:
    """The French page for HTTP ``status`` (400, 403, 404 or 500), in the site's layout."""
    title, text, default_hint = ERRORS[status]
    return render(request, "errors/page.html", {
        "status": status, "title": title, "text": text, "hint": hint or default_hint,
        "show_sign_in": status == 403 and not request.user.is_authenticated,
    }, status=status)


def bad_request(request, exception=None):
    """``handler400``."""
    return error_page(request, 400)


def permission_denied(request, exception=None):
    """``handler403``; our own refusals carry a French sentence, shown as the hint."""
    return error_page(request, 403, hint=str(exception or ""))


def page_not_found(request, exception=None):
    """``handler404``."""
    return error_page(request, 404)


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a form sent from a page left open too long, or without cookies."""
    return error_page(request, 403, hint="Le formulaire a expiré (page restée ouverte longtemps, ou cookies "
                                         "refusés). Rechargez la page, puis envoyez-le de nouveau.")


def server_error(request):
    """``handler500``: the French page in the layout, or a bare French page if the layout fails too."""
    try:
        return error_page(request, 500)
    except Exception:  # noqa: BLE001 - the error page must never fail: the database may be what broke
        logger.exception("the 500 page could not be rendered in the layout")
        return HttpResponseServerError(BARE_500)
