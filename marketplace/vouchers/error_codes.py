"""The vouchers' error codes, and the one French sentence a driver, shopper or staff member reads for each.

Like Saleor's ``GiftCardErrorCode``: raisers pass a code (and the values its sentence names),
checkers compare codes; the wording lives in :data:`MESSAGES` only.
"""

import enum


class VoucherErrorCode(enum.StrEnum):
    """Why a voucher could not be issued or spent."""

    UNKNOWN = "unknown"
    INACTIVE = "inactive"
    EXPIRED = "expired"
    EXHAUSTED = "exhausted"
    ALREADY_USED = "already_used"
    NOTHING_DUE = "nothing_due"
    NOT_PAID_BY_HAND = "not_paid_by_hand"
    BAD_COUNT = "bad_count"
    BAD_AMOUNT = "bad_amount"
    PAST_EXPIRY = "past_expiry"
    NO_TAG = "no_tag"
    SALEOR_FAILED = "saleor_failed"
    NOT_GIVEN_BACK = "not_given_back"
    NOT_FOR_SALE = "not_for_sale"
    BAD_RECIPIENT_EMAIL = "bad_recipient_email"
    MESSAGE_TOO_LONG = "message_too_long"
    NO_BILLING_ADDRESS = "no_billing_address"
    VOUCHER_FOR_VOUCHER = "voucher_for_voucher"
    NO_CARD_PAYMENT = "no_card_payment"
    CARD_REFUSED = "card_refused"
    ALREADY_PAID = "already_paid"
    CARD_PENDING = "card_pending"
    REFUND_FAILED = "refund_failed"


#: The sentence for each code; ``{name}`` fields are filled by :func:`message`.
MESSAGES: dict[VoucherErrorCode, str] = {
    VoucherErrorCode.UNKNOWN: "Aucun chèque cadeau ne porte le code « {voucher} » : vérifiez chaque caractère.",
    VoucherErrorCode.INACTIVE: "Le chèque cadeau « {voucher} » a été désactivé par l'équipe : il ne peut pas servir.",
    VoucherErrorCode.EXPIRED: "Le chèque cadeau « {voucher} » a expiré le {expiry} : il ne peut plus servir.",
    VoucherErrorCode.EXHAUSTED: "Le chèque cadeau « {voucher} » est épuisé : son solde est de 0,00 €.",
    VoucherErrorCode.ALREADY_USED: ("Le chèque cadeau « {voucher} » a déjà été utilisé entièrement le {when} : "
                                    "son solde est de 0,00 €."),
    VoucherErrorCode.NOTHING_DUE: "Il ne reste rien à encaisser pour la commande {order} : le chèque n'a pas été débité.",
    VoucherErrorCode.NOT_PAID_BY_HAND: "La commande {order} est déjà payée en ligne : rien à encaisser à la porte.",
    VoucherErrorCode.BAD_COUNT: "Indiquez un nombre de chèques entre 1 et {most}.",
    VoucherErrorCode.BAD_AMOUNT: "Indiquez un montant entre 1 € et {most} € par chèque.",
    VoucherErrorCode.PAST_EXPIRY: "La date de fin de validité doit être postérieure à aujourd'hui ({today}).",
    VoucherErrorCode.NO_TAG: "Indiquez pour qui sont ces chèques (par exemple « CCAS 2027 » ou un employeur).",
    VoucherErrorCode.SALEOR_FAILED: ("Le service de paiement ne répond pas : rien n'a été débité. "
                                     "Réessayez dans un instant."),
    VoucherErrorCode.NOT_GIVEN_BACK: ("Le chèque cadeau « {voucher} » n'a pas encore été recrédité de {amount} pour la "
                                      "commande annulée {order} : Saleor ne répond pas, un nouvel essai suivra."),
    VoucherErrorCode.NOT_FOR_SALE: "Choisissez un montant parmi ceux proposés : {amounts}.",
    VoucherErrorCode.BAD_RECIPIENT_EMAIL: ("L'adresse e-mail du destinataire n'est pas valable : corrigez-la ou "
                                           "laissez le champ vide."),
    VoucherErrorCode.MESSAGE_TOO_LONG: "Le message est trop long : {most} caractères au plus.",
    VoucherErrorCode.NO_BILLING_ADDRESS: "Indiquez votre adresse (rue, code postal et commune) : elle figure sur la facture.",
    VoucherErrorCode.VOUCHER_FOR_VOUCHER: ("Un chèque cadeau ne peut pas payer un autre chèque cadeau : "
                                           "réglez les chèques cadeaux par carte bancaire."),
    VoucherErrorCode.NO_CARD_PAYMENT: ("Le paiement par carte n'est pas disponible en ce moment : rien n'a été débité. "
                                       "Réessayez plus tard."),
    VoucherErrorCode.CARD_REFUSED: "Le paiement a été refusé ({reason}) : rien n'a été débité.",
    VoucherErrorCode.ALREADY_PAID: "Ces chèques cadeaux sont déjà payés (commande {order}).",
    VoucherErrorCode.CARD_PENDING: ("Votre banque n'a pas encore confirmé le paiement : rechargez cette page dans "
                                    "un instant. Rien n'est débité deux fois."),
    VoucherErrorCode.REFUND_FAILED: ("Les chèques de la commande {order} sont désactivés, mais Saleor n'a pas "
                                     "remboursé la carte ({amount}) : réessayez dans un moment."),
}


def message(code: VoucherErrorCode, **params: object) -> str:
    """The French sentence for ``code`` with its named values filled in.

    Raises
    ------
    KeyError
        When ``code`` has no sentence or a value the sentence names is missing.
    """
    return MESSAGES[code].format(**params)


class VoucherError(Exception):
    """A voucher operation was refused; ``str(error)`` is the French sentence to show.

    Parameters
    ----------
    code
        Why; the sentence comes from :data:`MESSAGES`.
    **params
        The values the sentence names.
    """

    def __init__(self, code: VoucherErrorCode, **params: object):
        self.code = code
        self.message = message(code, **params)
        super().__init__(self.message)
