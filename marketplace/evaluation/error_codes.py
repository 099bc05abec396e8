"""The evaluation domain's error codes (surveys, training sessions), and the French sentence of each.

Raisers call :func:`error` with a code and the values its sentence names; checkers compare
``ValidationError.code``; the wording lives here only.
"""

import enum

from django.core.exceptions import ValidationError


class EvaluationErrorCode(enum.StrEnum):
    """Why a survey answer or a training registration was refused."""

    SURVEY_ALREADY_ANSWERED = "survey_already_answered"
    SURVEY_NOT_DELIVERED = "survey_not_delivered"
    SURVEY_SCORE_MISSING = "survey_score_missing"
    SESSION_FULL = "session_full"
    SESSION_PAST = "session_past"
    ALREADY_REGISTERED = "already_registered"
    NOT_REGISTERED = "not_registered"
    SEATS_BELOW_REGISTERED = "seats_below_registered"


#: The sentence for each code; ``%(name)s`` fields are filled from the error's params.
MESSAGES: dict[EvaluationErrorCode, str] = {
    EvaluationErrorCode.SURVEY_ALREADY_ANSWERED: "Vous avez déjà répondu à ce questionnaire : merci !",
    EvaluationErrorCode.SURVEY_NOT_DELIVERED: "Le questionnaire s'ouvre une fois la commande n° %(number)s livrée.",
    EvaluationErrorCode.SURVEY_SCORE_MISSING: "Choisissez une réponse pour chacune des trois questions.",
    EvaluationErrorCode.SESSION_FULL: "La formation « %(topic)s » est complète : choisissez une autre date.",
    EvaluationErrorCode.SESSION_PAST: "La formation « %(topic)s » a déjà eu lieu : l'inscription est close.",
    EvaluationErrorCode.ALREADY_REGISTERED: "Votre boutique est déjà inscrite à la formation « %(topic)s ».",
    EvaluationErrorCode.NOT_REGISTERED: "Votre boutique n'est pas inscrite à cette formation.",
    EvaluationErrorCode.SEATS_BELOW_REGISTERED: "Déjà %(registered)s inscrits : le nombre de places ne peut pas descendre en dessous.",
}


def error(code: EvaluationErrorCode, **params: object) -> ValidationError:
    """A ``ValidationError`` carrying ``code``, its sentence and the values it names (raise it)."""
    return ValidationError(MESSAGES[code], code=code, params=params or None)
