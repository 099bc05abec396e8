"""The delivery domain's error codes, and the one French sentence a person reads for each.

Like Saleor's ``CheckoutErrorCode``: raisers call :func:`error` with a code (and the values its
sentence names), checkers compare ``ValidationError.code`` with a :class:`DeliveryErrorCode`;
the wording lives here only. The planner's reasons for leaving a stop out, with what staff can
do about each, are in :mod:`delivery.reasons`.
"""

import enum

from django.core.exceptions import ValidationError


class DeliveryErrorCode(enum.StrEnum):
    """Why the delivery domain refused a task, a driver's update, a move or a follow-up."""

    # a task another app hands over (delivery.actions.upsert_tasks)
    SOURCE_MISSING = "source_missing"
    BAD_KIND = "bad_kind"
    BAD_COORDINATES = "bad_coordinates"
    NO_WINDOW = "no_window"
    BAD_WINDOW = "bad_window"
    BAD_LOAD = "bad_load"
    RELAY_MISSING = "relay_missing"
    BAD_PAYMENT = "bad_payment"
    DAY_FROZEN = "day_frozen"
    OTHER_DAY = "other_day"
    # a driver's update from the phone
    BAD_EVENT = "bad_event"
    BAD_UUID = "bad_uuid"
    BAD_EVENT_KIND = "bad_event_kind"
    BAD_REASON = "bad_reason"
    BAD_TASK = "bad_task"
    BAD_PROOF = "bad_proof"
    PLAN_SUPERSEDED = "plan_superseded"
    # the driver's "Annuler" (delivery.undo)
    UNDO_UNKNOWN = "undo_unknown"
    UNDO_TOO_LATE = "undo_too_late"
    UNDO_SUPERSEDED = "undo_superseded"
    UNDO_RESOLVED = "undo_resolved"
    # a staff move
    PAST_DATE = "past_date"
    NO_VAN = "no_van"
    NOT_PLANNED = "not_planned"
    IN_ROUND = "in_round"
    NOT_HOME = "not_home"
    UNKNOWN_RELAY = "unknown_relay"
    RELAY_INACTIVE = "relay_inactive"
    RELAY_CLOSED = "relay_closed"
    RELAY_FROZEN = "relay_frozen"
    RELAY_FULL = "relay_full"
    RELAY_MONEY = "relay_money"
    CANCELLED = "cancelled"
    # the follow-up of a failed delivery
    NOT_FAILED = "not_failed"
    BAD_CHOICE = "bad_choice"
    RESOLVED = "resolved"
    NO_RELAY = "no_relay"


#: The sentence for each code; ``{name}`` fields are filled by :func:`message`.
MESSAGES: dict[DeliveryErrorCode, str] = {
    DeliveryErrorCode.SOURCE_MISSING: "Une tâche de la camionnette doit dire d'où elle vient (source vide).",
    DeliveryErrorCode.BAD_KIND: "Tâche {source} : genre inconnu {kind!r}.",
    DeliveryErrorCode.BAD_COORDINATES: "Tâche {source} : coordonnées ({lon}, {lat}) hors limites.",
    DeliveryErrorCode.NO_WINDOW: "Tâche {source} : il faut au moins un créneau horaire.",
    DeliveryErrorCode.BAD_WINDOW: "Tâche {source} : créneau ({start}, {end}) secondes impossible.",
    DeliveryErrorCode.BAD_LOAD: "Tâche {source} : chargement {compartment!r} = {load} impossible.",
    DeliveryErrorCode.RELAY_MISSING: "Tâche {source} : une livraison en point relais doit nommer son point relais.",
    DeliveryErrorCode.BAD_PAYMENT: "Tâche {source} : moyen de paiement inconnu {payment!r}.",
    DeliveryErrorCode.DAY_FROZEN: "Tâche {source} : la journée du {day} est close aux nouvelles tâches.",
    DeliveryErrorCode.OTHER_DAY: "Tâche {source} : elle appartient déjà à la journée du {day}.",
    DeliveryErrorCode.BAD_EVENT: "Mise à jour illisible : un objet JSON est attendu.",
    DeliveryErrorCode.BAD_UUID: "Mise à jour illisible : identifiant {uuid!r} (UUID attendu).",
    DeliveryErrorCode.BAD_EVENT_KIND: "Action inconnue {kind!r}.",
    DeliveryErrorCode.BAD_REASON: "Motif d'échec inconnu {reason!r}.",
    DeliveryErrorCode.BAD_TASK: "Ce n'est pas un arrêt de cette tournée.",
    DeliveryErrorCode.BAD_PROOF: "La preuve n'est pas lisible ({why}).",
    DeliveryErrorCode.PLAN_SUPERSEDED: ("La liste a changé à {at} (nouveau plan) : rechargez la page, puis refaites "
                                        "ce geste."),
    DeliveryErrorCode.UNDO_UNKNOWN: "Rien à annuler : ce geste n'a pas été reçu pour cette tournée.",
    DeliveryErrorCode.UNDO_TOO_LATE: ("Trop tard pour annuler (plus de {minutes} minutes après le geste) : "
                                      "appelez l'équipe pour corriger."),
    DeliveryErrorCode.UNDO_SUPERSEDED: "Un geste plus récent est déjà enregistré pour cet arrêt : annulez d'abord celui-là.",
    DeliveryErrorCode.UNDO_RESOLVED: "L'équipe a déjà choisi la suite de cet échec : appelez-la pour corriger.",
    DeliveryErrorCode.PAST_DATE: "Le {date} est déjà passé : choisissez aujourd'hui ou une date à venir.",
    DeliveryErrorCode.NO_VAN: "La camionnette ne roule pas le {date} ({why}) : choisissez par exemple le {next}.",
    DeliveryErrorCode.NOT_PLANNED: "« {name} » est déjà {status} : elle ne peut plus être déplacée.",
    DeliveryErrorCode.IN_ROUND: ("« {name} » fait partie d'une tournée du plan actuel ; seuls les arrêts non "
                                 "planifiés se déplacent ici."),
    DeliveryErrorCode.NOT_HOME: "« {name} » n'est pas une livraison à domicile.",
    DeliveryErrorCode.UNKNOWN_RELAY: "Point relais inconnu (n° {relay_id}).",
    DeliveryErrorCode.RELAY_INACTIVE: "Le point relais {relay} n'est plus actif.",
    DeliveryErrorCode.RELAY_CLOSED: "Le point relais {relay} est fermé le {date}.",
    DeliveryErrorCode.RELAY_FROZEN: ("« {name} » contient des surgelés : un point relais n'a pas de congélateur. "
                                     "Choisissez un nouveau passage à domicile."),
    DeliveryErrorCode.RELAY_MONEY: ("« {name} » a {amount} à encaisser ({method}) : un point relais ne peut pas "
                                    "encaisser. Appelez le client (paiement par carte) ou choisissez un nouveau "
                                    "passage à domicile."),
    DeliveryErrorCode.CANCELLED: ("« {name} » : commande annulée, arrêt retiré de la tournée (rien à livrer ni à "
                                  "encaisser)."),
    DeliveryErrorCode.RELAY_FULL: ("Le réfrigérateur de {relay} est plein le {date} : il reste {free_l} L, "
                                   "il en faut {needed_l} L."),
    DeliveryErrorCode.NOT_FAILED: "« {name} » n'est pas une livraison en échec.",
    DeliveryErrorCode.BAD_CHOICE: "Suite inconnue {choice!r} pour une livraison en échec.",
    DeliveryErrorCode.RESOLVED: "« {name} » a déjà une suite : {resolution}.",
    DeliveryErrorCode.NO_RELAY: ("Aucun point relais n'est encore ouvert aujourd'hui avec de la place au "
                                 "réfrigérateur : choisissez un nouveau passage."),
}

def message(code: DeliveryErrorCode, **params: object) -> str:
    """The French sentence for ``code`` with its named values filled in.

    Raises
    ------
    KeyError
        When ``code`` has no sentence or a value the sentence names is missing.
    """
    return MESSAGES[code].format(**params)


def error(code: DeliveryErrorCode, **params: object) -> ValidationError:
    """A ``ValidationError`` carrying ``code`` and its sentence (raise it)."""
    return ValidationError(message(code, **params), code=code)
