"""The short circuit's error codes, and the one French sentence a customer reads for each.

Like Saleor's ``CheckoutErrorCode``: raisers pass a code (and the values its sentence names),
checkers compare codes; the wording lives in :data:`MESSAGES` only.
"""

import enum


class ShortCircuitErrorCode(enum.StrEnum):
    """Why an order or cycle operation was refused."""

    CYCLE_UNKNOWN = "cycle_unknown"
    CYCLE_NOT_OPEN = "cycle_not_open"
    CYCLE_CLOSED = "cycle_closed"
    EMPTY_ORDER = "empty_order"
    NEGATIVE_QUANTITY = "negative_quantity"
    UNREADABLE_QUANTITY = "unreadable_quantity"
    NOT_IN_CYCLE = "not_in_cycle"
    LIMIT_REACHED = "limit_reached"
    SLOT_UNKNOWN = "slot_unknown"
    RECEPTION_NOT_CHOSEN = "reception_not_chosen"
    MODE_UNKNOWN = "mode_unknown"
    POINT_NOT_CHILLED = "point_not_chilled"
    SLOT_FULL = "slot_full"
    NO_HOME_DELIVERY = "no_home_delivery"
    NO_ADDRESS = "no_address"
    COLLECTOR_UNKNOWN = "collector_unknown"
    SALEOR_FAILED = "saleor_failed"


#: The sentence for each code; ``{name}`` fields are filled by :func:`message`.
MESSAGES: dict[ShortCircuitErrorCode, str] = {
    ShortCircuitErrorCode.CYCLE_UNKNOWN: "Ce cycle de commande n'existe pas.",
    ShortCircuitErrorCode.CYCLE_NOT_OPEN: "Le cycle « {cycle} » ouvre le {opens}.",
    ShortCircuitErrorCode.CYCLE_CLOSED: ("Les commandes du cycle « {cycle} » sont closes depuis le {closes} : "
                                         "votre commande n'a pas été enregistrée. Rendez-vous au prochain cycle."),
    ShortCircuitErrorCode.EMPTY_ORDER: "Choisissez au moins un produit.",
    ShortCircuitErrorCode.NEGATIVE_QUANTITY: "Une quantité ne peut pas être négative.",
    ShortCircuitErrorCode.UNREADABLE_QUANTITY: "Quantité illisible : « {raw} ».",
    ShortCircuitErrorCode.NOT_IN_CYCLE: "Un des produits demandés n'est pas proposé dans ce cycle.",
    ShortCircuitErrorCode.LIMIT_REACHED: "Il ne reste que {left} « {variant} » dans ce cycle.",
    ShortCircuitErrorCode.SLOT_UNKNOWN: "Choisissez un point de retrait et un créneau de ce cycle.",
    ShortCircuitErrorCode.RECEPTION_NOT_CHOSEN: "Choisissez un point de retrait et un créneau, ou la livraison.",
    ShortCircuitErrorCode.MODE_UNKNOWN: "Mode de retrait inconnu.",
    ShortCircuitErrorCode.POINT_NOT_CHILLED: "{point} ne peut pas garder {what} : choisissez un autre point.",
    ShortCircuitErrorCode.SLOT_FULL: "Le créneau {slot} est complet : choisissez-en un autre.",
    ShortCircuitErrorCode.NO_HOME_DELIVERY: "Ce cycle ne propose pas la livraison à domicile.",
    ShortCircuitErrorCode.NO_ADDRESS: "Renseignez d'abord votre adresse pour être livré.",
    ShortCircuitErrorCode.COLLECTOR_UNKNOWN: ("Aucun autre membre ne s'appelle « {text} » : vérifiez l'identifiant "
                                              "ou l'e-mail."),
    ShortCircuitErrorCode.SALEOR_FAILED: ("La commande n'a pas pu être enregistrée par la boutique en ligne "
                                          "({detail}). Rien n'a été débité."),
}


def message(code: ShortCircuitErrorCode, **params: object) -> str:
    """The French sentence for ``code`` with its named values filled in.

    Raises
    ------
    KeyError
        When ``code`` has no sentence or a value the sentence names is missing.
    """
    return MESSAGES[code].format(**params)
