"""The shopper's own data: download it (JSON) or have it erased (GDPR rights of access and erasure).

Thin: the work is in :mod:`marketplace.privacy.actions`. #16 (shopper accounts) links this page
from its account menu.
"""

import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from marketplace.privacy.actions import erase_shopper, export_shopper_data
from marketplace.saleor import port
from marketplace.saleor.errors import SaleorError
from marketplace.shoppers.customers import forget_customer
from marketplace.territory.models import Shopper

log = logging.getLogger(__name__)


def _retention() -> dict:
    return {"delivery_days": settings.PRIVACY_DELIVERY_DAYS, "webhook_days": settings.PRIVACY_WEBHOOK_DAYS}


def _forget_in_saleor(user) -> None:
    """Anonymise the erased shopper's Saleor customer; if Saleor is down, say so in the logs for staff."""
    shopper = Shopper.objects.filter(user=user).first()
    if shopper is None:
        return
    try:
        forget_customer(shopper, port.get_saleor())
    except SaleorError as exc:
        log.error("erased shopper %s: Saleor customer %s not anonymised (%s)", shopper.pk, shopper.saleor_customer_id, exc)


@login_required
@require_GET
def page(request):
    """What we keep and for how long, the download button and the erasure form."""
    return render(request, "storefront/my_data.html", {"retention": _retention()})


@login_required
@require_GET
def export(request):
    """Everything we hold about the signed-in shopper, as a JSON file to keep."""
    data = export_shopper_data(request.user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mes-donnees-marche-mormal-{stamp}.json"'
    return response


@login_required
@require_http_methods(["POST"])
def erase(request):
    """Erase the account after the password and the tick box confirm it; then sign out."""
    error = ""
    if not request.POST.get("confirm"):
        error = "Cochez la case pour confirmer que vous voulez effacer votre compte."
    elif not request.user.check_password(request.POST.get("password", "")):
        error = "Mot de passe incorrect : votre compte n'a pas été effacé."
    else:
        try:
            erase_shopper(request.user, timezone.now())
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            _forget_in_saleor(request.user)
            logout(request)
            messages.success(request, "Vos données personnelles ont été effacées et votre compte est fermé. "
                                      "Merci d'avoir utilisé le Marché du Pays de Mormal.")
            return redirect("home")
    return render(request, "storefront/my_data.html", {"retention": _retention(), "erase_error": error}, status=400)
