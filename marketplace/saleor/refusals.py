"""Saleor's refusals said in French: one sentence per error code, looked up in one place.

Saleor answers a refused checkout step with ``errors[{field, code, message}]``; the code is one
of ``CheckoutErrorCode`` (``sdl/schema.graphql``) and the message is English for developers. A
shopper reads :func:`in_french` instead, on every page that talks to Saleor, so the same refusal
is always said the same way. ``tests/saleor/test_refusals.py`` checks that every code of the
schema's ``CheckoutErrorCode`` has its sentence here.
"""

from __future__ import annotations

import re

from marketplace.saleor.errors import (
    SaleorError,
    SaleorNetworkError,
    SaleorNotFoundError,
    SaleorPermissionError,
    SaleorValidationError,
)

#: Every ``CheckoutErrorCode`` of Saleor 3.23, plus the codes a payment step adds
#: (``TransactionCreateErrorCode``) and ``GRAPHQL`` (our client's code for a GraphQL error).
CHECKOUT_ERRORS: dict[str, str] = {
    "BILLING_ADDRESS_NOT_SET": "Il manque l'adresse de facturation de la commande.",
    "CHANNEL_INACTIVE": "La boutique en ligne est fermée pour le moment. Réessayez plus tard.",
    "CHECKOUT_NOT_FULLY_PAID": "Le paiement n'est pas complet : la commande n'a pas été passée.",
    "DELIVERY_METHOD_NOT_APPLICABLE": "Ce mode de réception n'est pas possible pour ce panier : choisissez-en un autre.",
    "EMAIL_NOT_SET": "Il manque votre adresse e-mail.",
    "GIFT_CARD_NOT_APPLICABLE": "Cette carte cadeau ne peut pas servir pour ce panier.",
    "GRAPHQL_ERROR": "La boutique en ligne n'a pas compris la demande. Réessayez ; si cela recommence, prévenez-nous.",
    "INACTIVE_PAYMENT": "Ce moyen de paiement n'est plus proposé : choisissez-en un autre.",
    "INSUFFICIENT_STOCK": "Il n'en reste pas assez en stock pour cette quantité : diminuez la quantité.",
    "INVALID": "Une information saisie n'est pas valable : vérifiez-la.",
    "INVALID_SHIPPING_METHOD": "Ce mode de livraison n'est pas valable pour ce panier : choisissez-en un autre.",
    "MISSING_ADDRESS_DATA": "L'adresse est incomplète : vérifiez la rue, le code postal et la commune.",
    "MISSING_CHANNEL_SLUG": "La boutique en ligne est mal réglée : prévenez l'équipe du marché.",
    "NON_EDITABLE_GIFT_LINE": "Un article offert ne peut pas être modifié.",
    "NON_REMOVABLE_GIFT_LINE": "Un article offert ne peut pas être retiré du panier.",
    "NOT_FOUND": "Ce panier ou cet article n'existe plus : rechargez la page.",
    "NO_LINES": "Votre panier est vide.",
    "PAYMENT_ERROR": "Le paiement n'a pas abouti. Réessayez ou choisissez un autre moyen de paiement.",
    "PRICE_OVERRIDE_REASON_WITHOUT_OVERRIDE": "Un motif de changement de prix a été donné sans nouveau prix.",
    "PRODUCT_NOT_PUBLISHED": "Cet article n'est plus en vente en ligne : retirez-le du panier.",
    "PRODUCT_UNAVAILABLE_FOR_PURCHASE": "Cet article n'est pas en vente pour le moment : retirez-le du panier.",
    "QUANTITY_GREATER_THAN_LIMIT": "C'est plus que la quantité permise par commande pour cet article : diminuez la quantité.",
    "REQUIRED": "Une information obligatoire manque : vérifiez le formulaire.",
    "SHIPPING_ADDRESS_NOT_SET": "Il manque l'adresse de livraison.",
    "SHIPPING_CHANGE_FORBIDDEN": "Le mode de livraison ne peut plus être changé pour cette commande.",
    "SHIPPING_METHOD_NOT_APPLICABLE": "Ce mode de livraison n'est pas possible pour ce panier : choisissez-en un autre.",
    "SHIPPING_METHOD_NOT_SET": "Choisissez d'abord comment recevoir votre commande.",
    "SHIPPING_NOT_REQUIRED": "Ce panier n'a pas besoin de livraison.",
    "TAX_ERROR": "La TVA de la commande n'a pas pu être calculée. Réessayez dans un instant.",
    "UNAVAILABLE_VARIANT_IN_CHANNEL": "Cet article n'est pas vendu dans la boutique en ligne : retirez-le du panier.",
    "UNIQUE": "Cette information est déjà enregistrée.",
    "VOUCHER_NOT_APPLICABLE": "Ce bon de réduction ne s'applique pas à ce panier.",
    "ZERO_QUANTITY": "La quantité doit être au moins 1.",
    # payment step (transactionCreate / transactionUpdate)
    "INCORRECT_CURRENCY": "Le paiement n'est pas en euros : il a été refusé.",
    "METADATA_KEY_REQUIRED": "Le paiement n'a pas pu être enregistré. Réessayez ; si cela recommence, prévenez-nous.",
    # our client's code for a GraphQL-level error (a malformed request, not the shopper's doing)
    "GRAPHQL": "La boutique en ligne n'a pas compris la demande. Réessayez ; si cela recommence, prévenez-nous.",
}

UNREACHABLE = "La boutique en ligne ne répond pas pour le moment. Réessayez dans une minute."
NOT_ALLOWED = "La boutique en ligne a refusé l'accès : prévenez l'équipe du marché."
UNKNOWN = "La boutique en ligne a refusé cette étape. Réessayez ; si cela recommence, prévenez-nous."

_ONLY_LEFT = re.compile(r"Only (\d+) remaining")
_MORE_THAN = re.compile(r"more than (\d+) times")


def _sentence(code: str, message: str) -> str:
    """The French sentence for one ``{code, message}`` item, with Saleor's figure when it gives one."""
    if code == "INSUFFICIENT_STOCK" and (found := _ONLY_LEFT.search(message)):
        left = int(found.group(1))
        if left == 0:
            return "Cet article est épuisé : retirez-le du panier."
        return f"Il n'en reste que {left} en stock : diminuez la quantité."
    if code == "QUANTITY_GREATER_THAN_LIMIT" and (found := _MORE_THAN.search(message)):
        return f"Vous pouvez commander au plus {found.group(1)} fois cet article par commande : diminuez la quantité."
    return CHECKOUT_ERRORS.get(code, UNKNOWN)


def in_french(exc: SaleorError) -> str:
    """What a person reads when Saleor refuses or fails: one French sentence per distinct cause.

    Never Saleor's English message: a code without a sentence reads :data:`UNKNOWN`.
    """
    if isinstance(exc, SaleorValidationError):
        sentences = list(dict.fromkeys(_sentence(e.code, e.message) for e in exc.errors))
        return " ".join(sentences) or UNKNOWN
    if isinstance(exc, SaleorNotFoundError):
        return CHECKOUT_ERRORS["NOT_FOUND"]
    if isinstance(exc, SaleorNetworkError):
        return UNREACHABLE
    if isinstance(exc, SaleorPermissionError):
        return NOT_ALLOWED
    return UNKNOWN
