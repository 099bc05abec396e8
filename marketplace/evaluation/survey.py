"""The satisfaction questionnaire: the three questions of each audience and the answer scale (French)."""

from __future__ import annotations

import re

#: The answer scale, best first: (score, label). A score of 3 or 4 counts as "satisfied".
SCALE: list[tuple[int, str]] = [(4, "Très satisfait(e)"), (3, "Plutôt satisfait(e)"),
                                (2, "Plutôt pas satisfait(e)"), (1, "Pas du tout satisfait(e)")]
SATISFIED_FROM = 3

QUESTIONS: dict[str, tuple[str, str, str]] = {
    "shopper": (
        "Êtes-vous satisfait(e) des produits reçus ?",
        "Êtes-vous satisfait(e) de la livraison (heure, accueil, état des produits) ?",
        "Êtes-vous satisfait(e) du site pour commander ?",
    ),
    "vendor": (
        "Êtes-vous satisfait(e) des ventes faites grâce à la plateforme ?",
        "Êtes-vous satisfait(e) de votre espace vendeur (produits, stock, commandes) ?",
        "Êtes-vous satisfait(e) de l'accompagnement de l'équipe (formations, aide) ?",
    ),
}
#: Short names of the three questions for the tables and charts of the report.
SHORT: dict[str, tuple[str, str, str]] = {
    "shopper": ("Produits", "Livraison", "Site"),
    "vendor": ("Ventes", "Espace vendeur", "Accompagnement"),
}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}")


def anonymised(comment: str) -> str:
    """A comment fit for the report: e-mail addresses and phone numbers replaced by ``[masqué]``."""
    return _PHONE.sub("[masqué]", _EMAIL.sub("[masqué]", comment.strip()))


def quarter_of(day) -> str:
    """The quarter label of a date, e.g. ``2027-T2`` for 15 May 2027."""
    return f"{day.year}-T{(day.month - 1) // 3 + 1}"
