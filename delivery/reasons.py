"""Why a stop is not in a round, in French, with what staff can do about it (one place for every page and message)."""

from __future__ import annotations

#: The routing core's reasons (``UnassignedReason`` values) and ours, as staff read them.
REASONS_FR = {
    "WINDOW_IMPOSSIBLE": "Créneau horaire impossible à tenir",
    "OVER_CAPACITY": "Trop volumineux pour la camionnette",
    "UNREACHABLE": "Adresse injoignable par la route",
    "COLD_CHAIN": "Chaîne du froid : trajet trop long",
    "RELAY_FULL": "Réfrigérateur du point relais plein",
    "NO_ROOM": "Plus de place dans les tournées de ce jour",
    "NOT_PLANNED": "Arrivée après le dernier calcul : pas encore dans une tournée",
}
#: What to do, for each reason.
ADVICE_FR = {
    "WINDOW_IMPOSSIBLE": "Appelez le client pour élargir le créneau, ou déplacez la livraison à un autre jour.",
    "OVER_CAPACITY": "Scindez la commande avec le commerçant, ou déplacez-la à un jour moins chargé.",
    "UNREACHABLE": "Vérifiez l'adresse avec le client, puis relancez le calcul.",
    "COLD_CHAIN": "Déplacez la livraison à un jour où la camionnette passe plus près, ou vers un point relais.",
    "RELAY_FULL": "Choisissez un autre point relais ou un autre jour.",
    "NO_ROOM": "Déplacez la livraison à un autre jour de service, ou vers un point relais ouvert ce jour-là.",
    "NOT_PLANNED": "Relancez le calcul des tournées pour l'y ajouter.",
}


def reason_fr(code: str) -> str:
    """The French sentence for a reason code (an unknown code reads as "no room", never as a raw code)."""
    return REASONS_FR.get(code, REASONS_FR["NO_ROOM"])


def advice_fr(code: str) -> str:
    """What staff can do for a reason code."""
    return ADVICE_FR.get(code, ADVICE_FR["NO_ROOM"])
