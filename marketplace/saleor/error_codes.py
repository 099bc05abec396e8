"""Why a page opened from the Saleor Dashboard was refused: one code, one French sentence.

The codes are what the programs and tests compare; :data:`MESSAGES` is the only place that
says them in French (the 403 page reads it).
"""

from __future__ import annotations

from enum import StrEnum


class DashboardErrorCode(StrEnum):
    """A refused staff token, or a staff member without the right for the page."""

    TOKEN_MISSING = "token_missing"
    TOKEN_MALFORMED = "token_malformed"
    TOKEN_EXPIRED = "token_expired"
    UNKNOWN_ISSUER = "unknown_issuer"
    BAD_SIGNATURE = "bad_signature"
    KEYS_UNAVAILABLE = "keys_unavailable"
    WRONG_APP = "wrong_app"
    NOT_STAFF = "not_staff"
    ADMIN_ACCOUNT = "admin_account"
    MISSING_RIGHT = "missing_right"
    SHOP_ACCOUNT = "shop_account"


MESSAGES: dict[DashboardErrorCode, str] = {
    DashboardErrorCode.TOKEN_MISSING: "Le tableau de bord Saleor n'a pas transmis de jeton de connexion : "
    "rouvrez la page depuis Saleor.",
    DashboardErrorCode.TOKEN_MALFORMED: "Ce jeton de connexion est illisible : rouvrez la page depuis le "
    "tableau de bord Saleor.",
    DashboardErrorCode.TOKEN_EXPIRED: "Ce jeton de connexion a expiré : rouvrez la page depuis le tableau "
    "de bord Saleor.",
    DashboardErrorCode.UNKNOWN_ISSUER: "Ce jeton ne vient pas de la boutique Saleor de la plateforme : "
    "accès refusé.",
    DashboardErrorCode.BAD_SIGNATURE: "La signature de ce jeton n'est pas valable : accès refusé.",
    DashboardErrorCode.KEYS_UNAVAILABLE: "Les clés de signature de Saleor sont injoignables pour le moment : "
    "réessayez dans un instant.",
    DashboardErrorCode.WRONG_APP: "Ce jeton a été délivré pour une autre application Saleor : accès refusé.",
    DashboardErrorCode.NOT_STAFF: "Ce compte Saleor n'appartient pas à l'équipe de la boutique : accès refusé.",
    DashboardErrorCode.ADMIN_ACCOUNT: "Ce compte d'administrateur de la plateforme se connecte directement "
    "au marché, pas depuis le tableau de bord Saleor.",
    DashboardErrorCode.SHOP_ACCOUNT: "Ce courriel est celui d'un compte de vendeur ou de client du marché : "
    "donnez à ce membre de l'équipe Saleor un courriel à lui, distinct de ce compte.",
    DashboardErrorCode.MISSING_RIGHT: "Votre compte Saleor n'a pas le droit d'ouvrir cette page "
    "(il faut l'une de ces permissions : {permissions}).",
}


def message(code: DashboardErrorCode, **params: str) -> str:
    """The French sentence of ``code``, with its ``{placeholders}`` filled in."""
    return MESSAGES[code].format(**params)
