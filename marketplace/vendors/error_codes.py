"""The vendors domain's error codes, and the one French sentence a person reads for each.

Like Saleor's ``CheckoutErrorCode``: raisers call :func:`error` with a code and the values its
sentence names (Django's ``%(name)s`` form, so forms show them next to the field), checkers
compare ``ValidationError.code``; the wording lives here only.
"""

import enum

from django.core.exceptions import ValidationError


class VendorErrorCode(enum.StrEnum):
    """Why a vendor, member, invitation, product or stock change was refused."""

    SIRET_FORMAT = "siret_format"
    SIRET_CHECKSUM = "siret_checksum"
    VAT_FORMAT = "vat_format"
    VAT_CHECKSUM = "vat_checksum"
    VAT_SIREN_MISMATCH = "vat_siren_mismatch"
    HOURS_NOT_A_WEEK = "hours_not_a_week"
    HOURS_UNKNOWN_DAY = "hours_unknown_day"
    HOURS_NOT_A_LIST = "hours_not_a_list"
    HOURS_BAD_INTERVAL = "hours_bad_interval"
    HOURS_OVERLAP = "hours_overlap"
    HOURS_TEXT = "hours_text"
    ALREADY_MEMBER = "already_member"
    EMAIL_ALREADY_MEMBER = "email_already_member"
    INVITATION_UNUSABLE = "invitation_unusable"
    PASSWORD_MISMATCH = "password_mismatch"
    NOT_OWNER = "not_owner"
    NEGATIVE_STOCK = "negative_stock"
    NO_IMAGE = "no_image"
    PRICE_JUMP = "price_jump"
    BUSINESS_ALREADY_HERE = "business_already_here"


#: The sentence for each code; ``%(name)s`` fields are filled from the error's params.
MESSAGES: dict[VendorErrorCode, str] = {
    VendorErrorCode.SIRET_FORMAT: "Le SIRET « %(value)s » doit comporter exactement 14 chiffres.",
    VendorErrorCode.SIRET_CHECKSUM: "Le SIRET « %(value)s » n'est pas valide (clé de contrôle incorrecte).",
    VendorErrorCode.VAT_FORMAT: "Le numéro de TVA « %(value)s » doit avoir la forme FR suivi de 11 chiffres.",
    VendorErrorCode.VAT_CHECKSUM: "Le numéro de TVA « %(value)s » n'est pas valide (clé incorrecte pour ce SIREN).",
    VendorErrorCode.VAT_SIREN_MISMATCH: "Le numéro de TVA ne correspond pas au SIREN %(siren)s du SIRET.",
    VendorErrorCode.HOURS_NOT_A_WEEK: "Les horaires doivent être un objet par jour de semaine.",
    VendorErrorCode.HOURS_UNKNOWN_DAY: "Jour « %(day)s » inconnu : utilisez 1 (lundi) à 7 (dimanche).",
    VendorErrorCode.HOURS_NOT_A_LIST: "Les horaires du jour %(day)s doivent être une liste.",
    VendorErrorCode.HOURS_BAD_INTERVAL: "Créneau %(interval)s du jour %(day)s invalide : attendu [\"HH:MM\", \"HH:MM\"].",
    VendorErrorCode.HOURS_OVERLAP: ("Créneau %(start)s–%(end)s du jour %(day)s : les créneaux doivent être "
                                    "croissants et disjoints."),
    VendorErrorCode.HOURS_TEXT: "« %(part)s » : écrivez les horaires comme 09:00-12:00.",
    VendorErrorCode.ALREADY_MEMBER: "Ce compte est déjà membre d'un autre vendeur.",
    VendorErrorCode.EMAIL_ALREADY_MEMBER: "L'adresse %(email)s est déjà membre d'un autre vendeur.",
    VendorErrorCode.INVITATION_UNUSABLE: "Cette invitation a expiré ou a déjà été utilisée.",
    VendorErrorCode.PASSWORD_MISMATCH: "Les deux mots de passe ne sont pas identiques.",
    VendorErrorCode.NOT_OWNER: "Ce produit n'appartient pas à votre boutique.",
    VendorErrorCode.NEGATIVE_STOCK: "Stock négatif refusé : %(bad)s.",
    VendorErrorCode.NO_IMAGE: "Choisissez un fichier ou indiquez l'adresse web d'une photo.",
    VendorErrorCode.PRICE_JUMP: ("Le prix passe de %(old)s à %(new)s : %(factor)s fois %(way)s. Vérifiez la virgule ; "
                                 "si le prix est juste, cochez « Oui, ce nouveau prix est juste » et enregistrez."),
    VendorErrorCode.BUSINESS_ALREADY_HERE: "Ce commerce (SIRET %(siret)s) est déjà inscrit sur la plateforme : merci !",
}


def error(code: VendorErrorCode, **params: object) -> ValidationError:
    """A ``ValidationError`` carrying ``code``, its sentence and the values it names (raise it)."""
    return ValidationError(MESSAGES[code], code=code, params=params or None)
