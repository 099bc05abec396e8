"""The storefront's error codes, and the one French sentence a shopper reads for each.

Like Saleor's ``CheckoutErrorCode``: raisers pass a code (and the values its sentence names),
checkers compare codes, and every page shows :data:`MESSAGES` so the wording lives here only.
"""

import enum


class StorefrontErrorCode(enum.StrEnum):
    """Why the storefront refused a cart, delivery choice or order."""

    BAD_QUANTITY = "bad_quantity"
    EMPTY_CART = "empty_cart"
    NO_DELIVERY = "no_delivery"
    VAN_FACTS_MISSING = "van_facts_missing"
    DELIVERY_NOT_CHOSEN = "delivery_not_chosen"
    DAY_CLOSED = "day_closed"
    COLLECT_NOT_OFFERED = "collect_not_offered"
    RELAY_FROZEN = "relay_frozen"
    RELAY_FULL = "relay_full"
    SLOT_NOT_SERVED = "slot_not_served"
    SLOT_FULL = "slot_full"
    SLOT_NOT_OFFERED = "slot_not_offered"
    PAYMENT_UNKNOWN = "payment_unknown"
    PAYMENT_NOT_ALLOWED = "payment_not_allowed"
    CARD_UNAVAILABLE = "card_unavailable"
    CARD_NOT_LINKED = "card_not_linked"
    CARD_STEP = "card_step"
    CARD_GATEWAY_BROKEN = "card_gateway_broken"
    CARD_DECLINED = "card_declined"
    CARD_CANCELLED = "card_cancelled"
    CARD_ACTION_PENDING = "card_action_pending"
    CARD_PROCESSING = "card_processing"
    CARD_RETURN_UNKNOWN = "card_return_unknown"
    CARD_REFUNDED = "card_refunded"
    PAYMENT_REFUSED = "payment_refused"
    NO_CONSENT = "no_consent"
    HOME_NO_ADDRESS = "home_no_address"
    HOME_OUTSIDE_TERRITORY = "home_outside_territory"
    GUEST_BAD_EMAIL = "guest_bad_email"
    GUEST_BAD_PHONE = "guest_bad_phone"


#: The sentence for each code; ``{name}`` fields are filled by :func:`message`.
MESSAGES: dict[StorefrontErrorCode, str] = {
    StorefrontErrorCode.HOME_NO_ADDRESS: "Pour la livraison à domicile, ajoutez d'abord votre adresse.",
    StorefrontErrorCode.HOME_OUTSIDE_TERRITORY: (
        "La camionnette ne livre à domicile que dans les 52 communes du Pays de Mormal : {address} est en "
        "dehors. Vous pouvez retirer votre commande en boutique ou dans un point relais."),
    StorefrontErrorCode.GUEST_BAD_EMAIL: "Cette adresse e-mail n'est pas valable : vérifiez-la.",
    StorefrontErrorCode.GUEST_BAD_PHONE: "Ce numéro de téléphone n'est pas valable : 10 chiffres, par exemple 03 27 12 34 56.",
    StorefrontErrorCode.BAD_QUANTITY: "La quantité doit être au moins 1.",
    StorefrontErrorCode.EMPTY_CART: "Votre panier est vide.",
    StorefrontErrorCode.NO_DELIVERY: "Ce mode de livraison n'existe pas ou plus.",
    StorefrontErrorCode.VAN_FACTS_MISSING: ("La camionnette ne peut pas encore transporter ce panier ({goods}) : "
                                            "choisissez le retrait en boutique."),
    StorefrontErrorCode.DELIVERY_NOT_CHOSEN: "Choisissez d'abord comment recevoir votre commande.",
    StorefrontErrorCode.DAY_CLOSED: ("Les commandes pour le {date:%d/%m/%Y} sont closes depuis le "
                                     "{cutoff:%d/%m à %H:%M}. Choisissez un autre jour."),
    StorefrontErrorCode.COLLECT_NOT_OFFERED: ("Le retrait en boutique n'est possible que pour un seul "
                                              "commerçant qui l'accepte."),
    StorefrontErrorCode.RELAY_FROZEN: "Les surgelés ne peuvent pas attendre en point relais.",
    StorefrontErrorCode.RELAY_FULL: "Le réfrigérateur de {relay} est plein pour le {date:%d/%m}.",
    StorefrontErrorCode.SLOT_NOT_SERVED: "Ce créneau ne dessert pas votre commune.",
    StorefrontErrorCode.SLOT_FULL: "Le créneau du {date:%d/%m} est complet. Merci d'en choisir un autre.",
    StorefrontErrorCode.SLOT_NOT_OFFERED: "Ce créneau n'est plus proposé.",
    StorefrontErrorCode.PAYMENT_UNKNOWN: "Moyen de paiement inconnu.",
    StorefrontErrorCode.PAYMENT_NOT_ALLOWED: ("Ce moyen de paiement n'est pas proposé pour cette commande : un point "
                                              "relais ne peut pas encaisser, payez par carte."),
    StorefrontErrorCode.CARD_UNAVAILABLE: ("Le paiement par carte n'est pas proposé pour le moment : "
                                           "choisissez un paiement à la livraison."),
    StorefrontErrorCode.CARD_NOT_LINKED: ("Le paiement par carte passe par la page de la banque, "
                                          "qui n'est pas encore reliée : choisissez un paiement à la livraison."),
    StorefrontErrorCode.CARD_STEP: "Confirmez le paiement auprès de votre banque.",
    StorefrontErrorCode.CARD_GATEWAY_BROKEN: ("Le paiement par carte ne répond pas correctement pour le moment, rien "
                                              "n'a été débité : réessayez plus tard ou choisissez un paiement à la livraison."),
    StorefrontErrorCode.CARD_DECLINED: ("Votre banque a refusé la carte, rien n'a été débité : essayez une autre carte "
                                        "ou choisissez un paiement à la livraison."),
    StorefrontErrorCode.CARD_CANCELLED: ("Le paiement par carte a été annulé, rien n'a été débité : vous pouvez "
                                         "recommencer ou choisir un paiement à la livraison."),
    StorefrontErrorCode.CARD_ACTION_PENDING: ("La confirmation auprès de votre banque n'est pas terminée, rien n'a été "
                                              "débité : recommencez le paiement par carte."),
    StorefrontErrorCode.CARD_PROCESSING: ("Votre banque n'a pas encore confirmé le paiement : rechargez cette page "
                                          "dans un instant, votre commande sera enregistrée dès sa réponse."),
    StorefrontErrorCode.CARD_REFUNDED: ("Votre paiement a été accepté mais la commande n'a pas pu être enregistrée : "
                                        "{reason} Le montant vous est remboursé sur votre carte."),
    StorefrontErrorCode.CARD_RETURN_UNKNOWN: ("Ce retour de paiement ne correspond pas à votre commande : revenez "
                                              "au paiement."),
    StorefrontErrorCode.PAYMENT_REFUSED: "Le paiement a été refusé : {reason} Rien n'a été débité.",
    StorefrontErrorCode.NO_CONSENT: "Le consentement de la personne doit être enregistré.",
}

def message(code: StorefrontErrorCode, **params: object) -> str:
    """The French sentence for ``code`` with its named values filled in.

    Raises
    ------
    KeyError
        When ``code`` has no sentence or a value the sentence names is missing.
    """
    return MESSAGES[code].format(**params)
