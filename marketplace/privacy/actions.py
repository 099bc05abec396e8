"""Retention and a shopper's rights: the nightly purge, the JSON export, the erasure.

How long each kind of personal data is kept (days, from the settings) and why is in the
README's "Personal data" section; the rules of what is erased live with the data:
:mod:`delivery.retention` for deliveries, :mod:`marketplace.saleor.webhooks` for webhook bodies.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from common import money
from delivery import retention
from delivery.models import DeliveryTask
from marketplace.evaluation.models import SurveyAnswer
from marketplace.evaluation.survey import anonymised
from marketplace.saleor.webhooks import forget_order_payloads, forget_payloads
from marketplace.storefront.models import Consent, Representative, ShopOrder
from marketplace.territory.models import Shopper
from marketplace.vendors.models import VendorOrder
from shortcircuit.models import CycleOrder, StandingBasket

#: The name a shopper's vendor orders keep once the shopper asked for erasure.
ERASED_CUSTOMER = "Client effacé"


class ErasureErrorCode(enum.StrEnum):
    """Why an erasure cannot happen now (codes of the ``ValidationError``)."""

    ORDER_IN_PROGRESS = "order_in_progress"


ERASURE_MESSAGES = {
    ErasureErrorCode.ORDER_IN_PROGRESS: (
        "Une commande est encore en cours ({order}) : vous pourrez effacer votre compte une fois "
        "qu'elle aura été livrée ou retirée. Vos données n'ont pas été modifiées."),
}


@dataclass(frozen=True)
class PurgeReport:
    """What one purge erased (counts)."""

    webhook_payloads: int
    delivery_tasks: int
    proof_files: int
    stop_events: int
    notifications: int
    round_paths: int
    sign_in_failures: int


def purge_expired_personal_data(now: dt.datetime) -> PurgeReport:
    """Erase what has outlived its retention period at ``now`` (see the module docstring)."""
    from axes.models import AccessAttempt

    payloads = forget_payloads(now - dt.timedelta(days=settings.PRIVACY_WEBHOOK_DAYS))
    before = (now - dt.timedelta(days=settings.PRIVACY_DELIVERY_DAYS)).date()
    forgotten = retention.forget_tasks(DeliveryTask.objects.filter(day__date__lt=before), now)
    paths = retention.forget_round_paths(before)
    failures, _ = AccessAttempt.objects.filter(
        attempt_time__lt=now - dt.timedelta(days=settings.PRIVACY_SIGN_IN_DAYS)).delete()
    return PurgeReport(payloads, forgotten.tasks, forgotten.proofs, forgotten.events, forgotten.notifications,
                       paths, failures)


def _order_tasks(order_ids: list[str]):
    query = Q(pk__in=[])
    for order_id in order_ids:
        query |= Q(source__startswith=f"order:{order_id}:")
    return DeliveryTask.objects.filter(query)


def export_shopper_data(user) -> dict[str, Any]:
    """Everything we hold about ``user`` as a shopper, as JSON-ready data (French keys' values).

    Orders appear with their figures; deliveries with what the driver was given.
    """
    shopper = Shopper.objects.select_related("commune").filter(user=user).first()
    orders = list(ShopOrder.objects.filter(Q(shopper__user=user) | Q(placed_by=user)).order_by("created_at"))
    order_ids = [o.saleor_order_id for o in orders]
    data: dict[str, Any] = {
        "compte": {"identifiant": user.get_username(), "prenom": user.first_name, "nom": user.last_name,
                   "email": user.email, "inscrit_le": user.date_joined.isoformat()},
        "profil_de_livraison": None,
        "commandes": [{"numero": o.number, "passee_le": o.created_at.isoformat(), "pour_le": o.date.isoformat(),
                       "mode": o.get_mode_display(), "paiement": o.get_payment_display(),
                       "total_euros": str(money.from_cents(o.total_cents)), "canal": o.get_channel_display(),
                       "pour_moi": bool(shopper and o.shopper_id == shopper.pk)} for o in orders],
        "livraisons": [{"jour": t.day.date.isoformat(), "type": t.get_kind_display(), "nom": t.name,
                        "adresse": t.address, "telephone": t.phone, "consignes": t.doorstep_notes,
                        "codes_d_acces": t.access_codes, "statut": t.get_status_display(),
                        "faite_le": t.done_at.isoformat() if t.done_at else None,
                        "a_encaisser_euros": str(money.from_cents(t.payment_cents)) if t.payment_cents else None}
                       for t in _order_tasks(order_ids).exclude(kind__in=[DeliveryTask.Kind.COLLECT, DeliveryTask.Kind.RETURN])
                       .select_related("day")],
        "consentements": [],
        "personnes_pouvant_commander_pour_moi": [],
        "commandes_circuit_court": [{"cycle": str(c.cycle), "mode": c.get_mode_display(),
                                     "statut": c.get_status_display(), "passee_le": c.created_at.isoformat()}
                                    for c in CycleOrder.objects.filter(customer=user).select_related("cycle")],
        "paniers_reguliers": [{"actif": b.active, "cree_le": b.created_at.isoformat()}
                              for b in StandingBasket.objects.filter(customer=user)],
        "cheques_cadeaux_achetes": [
            {"commande": p.order_number, "le": p.created_at.isoformat(), "montant_euros": str(p.amount),
             "nombre": p.quantity, "pour": p.recipient_name, "email_du_destinataire": p.recipient_email,
             "message": p.message, "paye_le": p.paid_at.isoformat() if p.paid_at else None}
            for p in _voucher_purchases(user)],
        "avis_apres_livraison": [{"commande": a.order.number, "le": a.answered_at.isoformat(), "reponses": [a.q1, a.q2, a.q3],
                                  "commentaire": a.comment}
                                 for a in SurveyAnswer.objects.filter(order__in=orders).select_related("order")],
    }
    if shopper is not None:
        data["profil_de_livraison"] = {
            "telephone": shopper.phone, "adresse": shopper.address, "commune": shopper.commune.name if shopper.commune else "",
            "longitude": shopper.lon, "latitude": shopper.lat, "consignes": shopper.doorstep_notes,
            "codes_d_acces": shopper.access_codes, "personne_agee": shopper.is_senior, "isole": shopper.is_isolated,
            "contact_en_cas_d_echec": {"nom": shopper.contact_name, "telephone": shopper.contact_phone,
                                       "email": shopper.contact_email},
        }
        data["consentements"] = [{"le": c.given_at.isoformat(), "comment": c.get_method_display(),
                                  "accord": c.statement, "recueilli_par": c.agent.get_full_name() or c.agent.get_username()}
                                 for c in Consent.objects.filter(person=shopper).select_related("agent")]
        data["personnes_pouvant_commander_pour_moi"] = [
            {"nom": r.user.get_full_name() or r.user.get_username(), "lien": r.get_relation_display(), "actif": r.active}
            for r in Representative.objects.filter(person=shopper).select_related("user")]
    return data


def erase_shopper(user, now: dt.datetime) -> None:
    """Erase ``user``'s personal data at their request; keep orders' figures, anonymously.

    The account is closed (no name, e-mail or usable password), the delivery profile emptied
    (position moved to the commune's centre), representatives removed, standing baskets
    stopped, and the deliveries, vendor orders and webhook bodies of their orders forgotten;
    their questionnaire answers stay, unlinked from the orders, comments without e-mail or phone;
    the e-vouchers they bought keep their amounts but lose the recipient, the message and where they went.

    Raises
    ------
    ValidationError
        Code ``order_in_progress`` (message in :data:`ERASURE_MESSAGES`) while an order is yet
        to be delivered or collected; nothing is changed then.
    """
    shopper = Shopper.objects.select_related("commune").filter(user=user).first()
    orders = ShopOrder.objects.filter(shopper=shopper) if shopper else ShopOrder.objects.none()
    order_ids = list(orders.values_list("saleor_order_id", flat=True))
    open_order = _open_order(orders, now)
    open_cycle = CycleOrder.objects.filter(customer=user, cycle__closes_at__gt=now).exclude(
        status=CycleOrder.Status.CANCELLED).first()
    if open_order or open_cycle:
        label = f"commande {open_order.number} du {open_order.date:%d/%m/%Y}" if open_order else "circuit court"
        raise ValidationError(ERASURE_MESSAGES[ErasureErrorCode.ORDER_IN_PROGRESS].format(order=label),
                              code=ErasureErrorCode.ORDER_IN_PROGRESS)
    with transaction.atomic():
        retention.forget_tasks(_order_tasks(order_ids), now)
        forget_order_payloads(order_ids)
        VendorOrder.objects.filter(saleor_order_id__in=order_ids).update(customer_name=ERASED_CUSTOMER)
        StandingBasket.objects.filter(customer=user, active=True).update(active=False, stopped_at=now)
        for answer in SurveyAnswer.objects.filter(order__in=orders):  # the scores stay, no longer tied to the person
            answer.order, answer.comment = None, anonymised(answer.comment)
            answer.save(update_fields=["order", "comment"])
        if shopper is not None:
            Representative.objects.filter(person=shopper).delete()
            Shopper.objects.filter(pk=shopper.pk).update(
                phone="", email="", address="", doorstep_notes="", access_codes="", contact_name="", contact_phone="",
                contact_email="", is_senior=False, is_isolated=False,
                lon=shopper.commune.lon if shopper.commune else None, lat=shopper.commune.lat if shopper.commune else None)
        purchases = _voucher_purchases(user)  # the vouchers and amounts stay; who they were for goes
        forget_order_payloads([p.saleor_order_id for p in purchases if p.saleor_order_id])
        purchases.update(recipient_name="", recipient_email="", message="", emailed_to="")
        EmailAddress.objects.filter(user=user).delete()  # allauth's copy of the e-mail
        user.username = f"efface-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()  # the row stays: orders and consents still point at the (anonymous) account


def _voucher_purchases(user):
    """The e-voucher purchases ``user`` made or that were made for their shopper profile."""
    from marketplace.vouchers.models import VoucherPurchase

    return VoucherPurchase.objects.filter(Q(placed_by=user) | Q(buyer__user=user)).order_by("created_at")


def _open_order(orders, now: dt.datetime) -> ShopOrder | None:
    """The first order still to be delivered or collected: its day is not past, or a van stop is planned.

    A cancelled order is not (its goods going back to the vendor are not the shopper's).
    """
    for order in orders.filter(cancelled_at__isnull=True).order_by("date"):
        if order.date >= now.date() or _order_tasks([order.saleor_order_id]).filter(
                status=DeliveryTask.Status.PLANNED).exists():
            return order
    return None
