"""Charts of the indicators, drawn offline with matplotlib as SVG data URIs (no JavaScript, no CDN)."""

from __future__ import annotations

import base64
import io

import matplotlib

from common import money

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.category import StrCategoryFormatter  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

# Text stays text in the SVG (not outlines): screen readers, search and tests can read the axes.
matplotlib.rcParams["svg.fonttype"] = "none"

GREEN, BLUE, ORANGE, GREY, PURPLE = "#0b5d1e", "#0a4a8a", "#c75000", "#6b6b6b", "#5b3a8f"
MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]


def french_tick(value: float, _position=None) -> str:
    """An axis graduation the French way (``2 500 000``, ``2,5``): never ``1e7`` nor ``2,500,000``."""
    for decimals in (0, 1, 2):
        if abs(value * 10**decimals - round(value * 10**decimals)) < 1e-6:
            return money.format_number(value, decimals)
    return money.format_number(value, 2)


FRENCH_TICKS = FuncFormatter(french_tick)


def _svg(fig) -> str:
    for ax in fig.get_axes():  # every value axis of every chart, in one place
        for axis in (ax.xaxis, ax.yaxis):
            if not isinstance(axis.get_major_formatter(), StrCategoryFormatter):
                axis.set_major_formatter(FRENCH_TICKS)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(width: float = 7.0, height: float = 3.2):
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=10)
    return fig, ax


def vendors_chart(rows: list[dict]) -> str:
    """Stacked bars of vendors on the platform per month, by kind."""
    fig, ax = _figure()
    labels = [m for m in rows[0] if m != "month"] if rows else []
    bottom = [0] * len(rows)
    for label, colour in zip(labels, [GREEN, BLUE, ORANGE, GREY], strict=False):
        values = [r[label] for r in rows]
        ax.bar([MONTHS[r["month"].month - 1] for r in rows], values, bottom=bottom, label=label, color=colour)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("inscrits")
    ax.legend(frameon=False, fontsize=9)
    return _svg(fig)


def sales_chart(rows: list[dict]) -> str:
    """Bars of sales (euros) per month with the order count as a line."""
    fig, ax = _figure()
    x = [MONTHS[r["month"].month - 1] for r in rows]
    ax.bar(x, [r["euros"] for r in rows], color=GREEN, label="ventes (€)")
    ax.set_ylabel("ventes (€)")
    twin = ax.twinx()
    twin.plot(x, [r["orders"] for r in rows], color=ORANGE, marker="o", label="commandes")
    twin.set_ylabel("commandes")
    twin.spines[["top"]].set_visible(False)
    return _svg(fig)


def revenue_chart(rows: list[dict], top: int = 12) -> str:
    """Horizontal bars of sales per vendor (the ``top`` largest)."""
    rows = rows[:top][::-1]
    fig, ax = _figure(7.0, max(2.0, 0.35 * len(rows) + 0.8))
    ax.barh([r["vendor"] for r in rows], [r["euros"] for r in rows], color=BLUE)
    ax.set_xlabel("ventes sur la plateforme (€)")
    return _svg(fig)


def deliveries_chart(by_mode: dict, failed: dict) -> str:
    """Deliveries by mode and failed deliveries by reason, side by side."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.5, 3.0), dpi=100)
    left.bar(list(by_mode), list(by_mode.values()), color=[GREY, PURPLE, GREEN])
    left.set_title("Remises par mode", fontsize=11)
    right.bar(list(failed) or ["aucun"], list(failed.values()) or [0], color=ORANGE)
    right.set_title("Échecs de livraison", fontsize=11)
    for ax in (left, right):
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=9)
    return _svg(fig)


def van_chart(per_month: list[dict]) -> str:
    """Van kilometres per month, with hours as a line."""
    fig, ax = _figure()
    x = [MONTHS[r["month"].month - 1] for r in per_month]
    ax.bar(x, [r["km"] for r in per_month], color=GREY)
    ax.set_ylabel("km")
    twin = ax.twinx()
    twin.plot(x, [r["hours"] for r in per_month], color=GREEN, marker="o")
    twin.set_ylabel("heures")
    twin.spines[["top"]].set_visible(False)
    return _svg(fig)


def value_chart(value: dict) -> str:
    """Local sales through the platform against the online spending leaving the territory."""
    fig, ax = _figure(7.0, 1.8)
    ax.barh(["fuite vers les plateformes extérieures", "ventes locales via la plateforme"],
            [value["leakage"], value["euros"]], color=[GREY, GREEN])
    ax.set_xlabel("euros sur la période")
    return _svg(fig)


def _months(rows: list[dict]) -> list[str]:
    return [MONTHS[r["month"].month - 1] for r in rows]


def _percent(value: float | None) -> float:
    return 0.0 if value is None else 100 * value


def _counts_with_room_for_legend(ax, highest: int) -> None:
    """Whole-number graduations (no "1,5 vendeur") and headroom so the legend never covers a bar."""
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(1, highest) * 1.35)
    ax.legend(frameon=False, fontsize=9, loc="upper left", ncols=2)


def efficiency_chart(per_month: list[dict]) -> str:
    """On-time rate and failed-delivery rate per month, in per cent."""
    fig, ax = _figure()
    x = _months(per_month)
    ax.plot(x, [_percent(r["on_time_rate"]) for r in per_month], color=GREEN, marker="o", label="dans le créneau promis (%)")
    ax.bar(x, [_percent(r["failed_rate"]) for r in per_month], color=ORANGE, label="échecs (%)")
    ax.set_ylim(0, 115)
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    ax.set_ylabel("%")
    ax.legend(frameon=False, fontsize=9, loc="upper left", ncols=2)
    return _svg(fig)


def satisfaction_chart(by_month: dict[str, list[dict]]) -> str:
    """Share of satisfied answers (mean of the three questions) per month, clients and vendors, in per cent."""
    fig, ax = _figure()
    months = sorted({r["month"] for rows in by_month.values() for r in rows})
    ax.plot([MONTHS[m.month - 1] for m in months], [float("nan")] * len(months))  # every month, in order, as a category
    for audience, label, colour in (("shopper", "clients", BLUE), ("vendor", "commerçants", PURPLE)):
        rows = by_month.get(audience, [])  # vendors answer once a quarter: their points join across the quiet months
        ax.plot([MONTHS[r["month"].month - 1] for r in rows], [_percent(sum(r["shares"]) / 3) for r in rows],
                color=colour, marker="o", label=label)
    ax.set_ylim(0, 100)
    ax.set_ylim(0, 115)
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    ax.set_ylabel("% satisfaits")
    ax.legend(frameon=False, fontsize=9, loc="upper left", ncols=2)
    return _svg(fig)


def training_chart(by_month: list[dict]) -> str:
    """Vendors registered and present at the training sessions, per month."""
    fig, ax = _figure()
    x = _months(by_month)  # categories (month names): the narrow bar of those present stands inside the wide one
    ax.bar(x, [r["registered"] for r in by_month], width=0.75, color=GREY, label="inscrits")
    ax.bar(x, [r["attended"] for r in by_month], width=0.4, color=GREEN, label="présents")
    ax.set_ylabel("commerces")
    _counts_with_room_for_legend(ax, max((r["registered"] for r in by_month), default=0))
    return _svg(fig)


def recruitment_chart(by_month: list[dict]) -> str:
    """Vendors who joined per month, and among them those invited by another vendor."""
    fig, ax = _figure()
    x = _months(by_month)
    ax.bar(x, [r["joined"] for r in by_month], width=0.75, color=BLUE, label="nouveaux vendeurs")
    ax.bar(x, [r["recruited"] for r in by_month], width=0.4, color=ORANGE, label="dont invités par un vendeur")
    ax.set_ylabel("vendeurs")
    _counts_with_room_for_legend(ax, max((r["joined"] for r in by_month), default=0))
    return _svg(fig)


def vouchers_chart(months: list) -> str:
    """Voucher euros per month: put on cards (issued and sold online) against spent, with what is outstanding."""
    fig, ax = _figure()
    x = [MONTHS[m.month.month - 1] for m in months]
    ax.bar(x, [float(m.issued_value + m.sold_online_value) for m in months], width=0.75, color=GREY,
           label="émis et vendus (€)")
    ax.bar(x, [float(m.spent_value) for m in months], width=0.4, color=GREEN, label="dépensés (€)")
    ax.plot(x, [float(m.outstanding_value) for m in months], color=BLUE, marker="o", label="en circulation (€)")
    ax.set_ylabel("euros")
    highest = max((float(max(m.issued_value + m.sold_online_value, m.outstanding_value)) for m in months), default=0.0)
    ax.set_ylim(0, max(1.0, highest) * 1.35)
    ax.legend(frameon=False, fontsize=9, loc="upper left", ncols=3)
    return _svg(fig)
