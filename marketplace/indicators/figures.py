"""The indicators of the territory's digital plan, computed from the fact tables.

Every figure takes the same filter: a year, optionally one month, optionally one commune
(the customer's commune for sales and deliveries; van rounds cross communes and ignore it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from marketplace.evaluation import selectors as evaluation
from marketplace.territory.models import Commune
from marketplace.vendors.models import Vendor

from .models import DeclaredRevenue, DeliveryFact, RoundFact, SaleFact

#: kg CO2e per van-km: ADEME Base Carbone order of magnitude for a diesel light commercial
#: vehicle under 3.5 t (about 0.26), plus about 10 % for the refrigeration unit.
CO2_KG_PER_KM = float(getattr(settings, "VAN_CO2_KG_PER_KM", 0.286))
#: kg CO2e per car-km for the customer trips avoided (ADEME, average French car, about 0.19).
CAR_CO2_KG_PER_KM = 0.193
#: Online spending leaving the territory each year, as quoted by the territory's digital plan (euros).
LEAKAGE_EUR_PER_YEAR = 14_000_000


@dataclass(frozen=True)
class Period:
    """A filter: ``year``, optional ``month`` (1-12) and optional commune."""

    year: int
    month: int | None = None
    commune: Commune | None = None

    @property
    def start(self) -> dt.date:
        """First day included."""
        return dt.date(self.year, self.month or 1, 1)

    @property
    def end(self) -> dt.date:
        """First day after the period."""
        if self.month:
            return dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        return dt.date(self.year + 1, 1, 1)

    @property
    def label(self) -> str:
        """French label, e.g. ``mars 2026`` or ``2026``."""
        months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                  "octobre", "novembre", "décembre"]
        text = f"{months[self.month - 1]} {self.year}" if self.month else str(self.year)
        return f"{text} — {self.commune.name}" if self.commune else text

    def days(self) -> float:
        """Number of days in the period."""
        return (self.end - self.start).days

    def share_of_year(self) -> float:
        """The period's length as a fraction of its year (1.0 for a whole year, leap or not)."""
        return self.days() / (dt.date(self.year + 1, 1, 1) - dt.date(self.year, 1, 1)).days


def _sales(period: Period):
    qs = SaleFact.objects.filter(date__gte=period.start, date__lt=period.end)
    return qs.filter(customer_commune=period.commune) if period.commune else qs


def _deliveries(period: Period):
    qs = DeliveryFact.objects.filter(date__gte=period.start, date__lt=period.end)
    return qs.filter(commune=period.commune) if period.commune else qs


def _rounds(period: Period):
    return RoundFact.objects.filter(date__gte=period.start, date__lt=period.end)


def vendors_by_month(year: int) -> list[dict]:
    """Vendors on the platform at the end of each month of ``year``, by kind."""
    rows = []
    kinds = dict(Vendor.Kind.choices)
    today = dt.date.today()
    for month in range(1, 13):
        if dt.date(year, month, 1) > today:
            break  # no figures for months still to come
        end = dt.date(year + (month == 12), month % 12 + 1, 1)
        counts = dict(Vendor.objects.filter(created_at__date__lt=end, active=True).values_list("kind").annotate(n=Count("id")))
        rows.append({"month": dt.date(year, month, 1), **{label: counts.get(kind, 0) for kind, label in kinds.items()}})
    return rows


def sales_by_month(period: Period) -> list[dict]:
    """Orders and sales (euros) per month of the period."""
    qs = _sales(Period(period.year, None, period.commune)) if not period.month else _sales(period)
    data = (qs.annotate(m=TruncMonth("date")).values("m")
            .annotate(orders=Count("order_ref", distinct=True), cents=Sum("amount_cents")).order_by("m"))
    return [{"month": r["m"], "orders": r["orders"], "euros": r["cents"] / 100} for r in data]


def revenue_by_vendor(period: Period) -> list[dict]:
    """Sales per vendor over the period, with the platform's share of its declared turnover."""
    sales = (_sales(period).values("vendor__name", "vendor_id").annotate(cents=Sum("amount_cents"), commission=Sum("commission_cents"))
             .order_by("-cents"))
    declared = dict(DeclaredRevenue.objects.filter(month__gte=period.start, month__lt=period.end)
                    .values("vendor_id").annotate(total=Sum("revenue_cents")).values_list("vendor_id", "total"))
    rows = []
    for r in sales:
        known = declared.get(r["vendor_id"])
        rows.append({"vendor": r["vendor__name"], "euros": r["cents"] / 100, "commission": (r["commission"] or 0) / 100,
                     "share": (r["cents"] / known) if known else None})
    return rows


def deliveries(period: Period) -> dict:
    """Deliveries by mode, those to seniors or isolated people, and failures by reason."""
    shop_orders = _sales(period).filter(mode="collect").values("order_ref").distinct().count()
    done = _deliveries(period).filter(status="delivered")
    by_mode = {"Retrait en boutique": shop_orders,
               "Point relais": done.filter(mode="relay").count() + done.filter(mode="pickup_point").count(),
               "Domicile": done.filter(mode="home").count()}
    fragile = done.filter(mode="home").filter(Q(senior=True) | Q(isolated=True)).count()
    failed = dict(_deliveries(period).filter(status="failed").values_list("fail_reason").annotate(n=Count("id")))
    labels = {"absent": "Absent", "refused": "Refusé", "address_not_found": "Adresse introuvable", "no_access": "Accès impossible"}
    return {"by_mode": by_mode, "home_fragile": fragile,
            "failed": {labels.get(k, k or "non précisé"): v for k, v in failed.items()},
            "failed_total": sum(failed.values())}


def van(period: Period) -> dict:
    """Van km, hours, km per delivery, CO2, and km avoided against customers driving to shops."""
    totals = _rounds(period).aggregate(km=Sum("km"), hours=Sum("hours"), deliveries=Sum("deliveries"))
    km, hours, count = totals["km"] or 0.0, totals["hours"] or 0.0, totals["deliveries"] or 0
    customer_km = _sales(period).exclude(mode="collect").aggregate(km=Sum("customer_trip_km"))["km"] or 0.0
    per_month = list(_rounds(period).annotate(m=TruncMonth("date")).values("m")
                     .annotate(km=Sum("km"), hours=Sum("hours")).order_by("m"))
    return {"km": km, "hours": hours, "deliveries": count, "km_per_delivery": km / count if count else None,
            "co2_kg": km * CO2_KG_PER_KM, "customer_km": customer_km, "km_avoided": customer_km - km,
            "co2_avoided_kg": customer_km * CAR_CO2_KG_PER_KM - km * CO2_KG_PER_KM,
            "per_month": [{"month": r["m"], "km": r["km"], "hours": r["hours"]} for r in per_month]}


def value_kept(period: Period) -> dict:
    """Local sales through the platform, set against the yearly online leakage (pro rata)."""
    euros = (_sales(period).aggregate(c=Sum("amount_cents"))["c"] or 0) / 100
    leak = LEAKAGE_EUR_PER_YEAR * period.share_of_year()
    return {"euros": euros, "leakage": leak, "share": euros / leak if leak else 0.0}


def synthetic_share(period: Period) -> float:
    """Fraction of the period's sale facts that are seeded demo history."""
    total = _sales(period).count()
    return _sales(period).filter(synthetic=True).count() / total if total else 0.0


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def delivery_efficiency(period: Period) -> dict:
    """How well the van keeps its promises: on time, failures, km and van-hours per parcel, modes, isolated.

    - on-time rate: delivered stops done by the end of their promised slot, among those with a slot;
    - failed rate: failed stops among stops attempted (delivered or failed);
    - km and hours per parcel: the van rounds' km and hours over the parcels delivered (whole
      territory only: a round crosses communes, so None when a commune is chosen);
    - relay and home shares: of the parcels the van delivered;
    - isolated households: distinct shoppers flagged isolated (``Shopper.is_isolated``) served at least once.
    """
    attempted = _deliveries(period).filter(status__in=["delivered", "failed"])
    done = attempted.filter(status="delivered")
    counts = done.aggregate(parcels=Count("id"), promised=Count("id", filter=Q(on_time__isnull=False)),
                            n_on_time=Count("id", filter=Q(on_time=True)),
                            n_relay=Count("id", filter=Q(mode__in=["relay", "pickup_point"])), n_home=Count("id", filter=Q(mode="home")),
                            isolated_parcels=Count("id", filter=Q(isolated=True)),
                            households=Count("household", filter=Q(isolated=True) & ~Q(household=""), distinct=True))
    failed = attempted.filter(status="failed").count()
    rounds = _rounds(period).aggregate(km=Sum("km"), hours=Sum("hours"))
    whole = period.commune is None
    parcels = counts["parcels"]
    per_month = []
    for row in (attempted.annotate(m=TruncMonth("date")).values("m").order_by("m")
                .annotate(n=Count("id"), n_failed=Count("id", filter=Q(status="failed")),
                          promised=Count("id", filter=Q(on_time__isnull=False)), n_on_time=Count("id", filter=Q(on_time=True)))):
        per_month.append({"month": row["m"], "attempted": row["n"], "failed_rate": _rate(row["n_failed"], row["n"]),
                          "on_time_rate": _rate(row["n_on_time"], row["promised"])})
    return {
        "parcels": parcels, "attempted": parcels + failed, "failed": failed,
        "on_time_rate": _rate(counts["n_on_time"], counts["promised"]), "promised": counts["promised"],
        "failed_rate": _rate(failed, parcels + failed),
        "km_per_parcel": (rounds["km"] or 0.0) / parcels if whole and parcels else None,
        "hours_per_parcel": (rounds["hours"] or 0.0) / parcels if whole and parcels else None,
        "relay_share": _rate(counts["n_relay"], parcels), "home_share": _rate(counts["n_home"], parcels),
        "isolated_parcels": counts["isolated_parcels"], "isolated_households": counts["households"],
        "per_month": per_month,
    }


def recruitment(period: Period) -> dict:
    """Vendors who joined over the period, and those a vendor invited (peer-to-peer recruitment)."""
    joined = Vendor.objects.filter(created_at__date__gte=period.start, created_at__date__lt=period.end)
    if period.commune:
        joined = joined.filter(commune=period.commune)
    recruited = joined.filter(referred_by__isnull=False)
    by_month = [{"month": r["m"].date() if hasattr(r["m"], "date") else r["m"], "joined": r["n"], "recruited": r["peer"]}
                for r in joined.annotate(m=TruncMonth("created_at")).values("m").order_by("m")
                .annotate(n=Count("id"), peer=Count("id", filter=Q(referred_by__isnull=False)))]
    referrers = [{"vendor": r["referred_by__name"], "recruits": r["n"], "open": r["n_open"]}
                 for r in recruited.values("referred_by__name").annotate(n=Count("id"), n_open=Count("id", filter=Q(active=True)))
                 .order_by("-n", "referred_by__name")]
    total, peer = joined.count(), recruited.count()
    return {"joined": total, "recruited": peer, "recruited_open": recruited.filter(active=True).count(),
            "share": _rate(peer, total), "by_month": by_month, "referrers": referrers}


def training(period: Period, now: dt.datetime) -> dict:
    """Training sessions held over the period by ``now``, by month and by commune (rooms, and vendors' communes)."""
    by_month = evaluation.training_by_month(period.start, period.end, now)
    totals = {k: sum(r[k] for r in by_month) for k in ("sessions", "seats", "registered", "attended")}
    return {"by_month": by_month, **evaluation.training_by_commune(period.start, period.end, now), **totals,
            "attendance_rate": _rate(totals["attended"], totals["registered"])}


def satisfaction(period: Period) -> dict:
    """Survey results by month and over the period, per audience, and the anonymous comments.

    ``audiences`` lists, per audience, its label, answers, the share satisfied per question over
    the period (``questions``), the short question names and the months (``by_month``).
    """
    by_month = evaluation.satisfaction_by_month(period.start, period.end)
    totals = evaluation.satisfaction_totals(period.start, period.end)
    audiences = [{**totals[key], "key": key, "by_month": by_month[key]} for key in totals]
    return {"by_month": by_month, "totals": totals, "audiences": audiences,
            "comments": evaluation.anonymous_comments(period.start, period.end)}


def vouchers(period: Period, now: dt.datetime):
    """The territory's gift vouchers month by month and the share spent locally (whole territory: a voucher has no commune).

    See :func:`marketplace.vouchers.selectors.by_month` for what each figure counts.
    """
    from marketplace.vouchers import selectors as voucher_figures

    return voucher_figures.by_month(period.start, period.end, now)


def all_figures(period: Period, now: dt.datetime | None = None) -> dict:
    """Everything the dashboard and the annual report show; ``now`` ends the training sessions counted as held."""
    now = now or timezone.now()
    return {"period": period, "vendors": vendors_by_month(period.year), "sales": sales_by_month(period),
            "revenue": revenue_by_vendor(period), "deliveries": deliveries(period), "van": van(period),
            "value": value_kept(period), "synthetic": synthetic_share(period),
            "efficiency": delivery_efficiency(period), "recruitment": recruitment(period),
            "training": training(period, now), "satisfaction": satisfaction(period),
            "vouchers": vouchers(period, now),
            "co2_factor": CO2_KG_PER_KM, "car_factor": CAR_CO2_KG_PER_KM}
