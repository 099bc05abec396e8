"""Form fields for numbers people type the French way, whatever their browser's language."""

from __future__ import annotations

import re

from django import forms
from django.db import models

from .error_codes import InputErrorCode, error

_SPACES = re.compile(r"[\s\u00a0\u202f]")


def normalise_decimal(text: str) -> str:
    """``"6,50"``, ``"6.50"``, ``"1 234,50 €"`` -> ``"6.50"``, ``"6.50"``, ``"1234.50"``.

    Raises
    ------
    ValidationError
        Code ``ambiguous`` for a text with both a comma and a point (``"1.234,50"``), or with
        several of either: the person must say which one is the decimal mark.
    """
    text = _SPACES.sub("", str(text)).removesuffix("€").removesuffix("EUR").removesuffix("%")
    if ("," in text and "." in text) or text.count(",") > 1 or text.count(".") > 1:
        raise error(InputErrorCode.AMBIGUOUS)
    return text.replace(",", ".")


class DecimalTextField(forms.DecimalField):
    """A decimal typed as text: ``6,50`` and ``6.50`` both mean six and a half; never ``type=number``.

    A ``type=number`` field depends on the browser's language: in an English browser "6,50" was
    read as 650. This field shows the value with a decimal comma, opens the phone's decimal
    keypad (``inputmode=decimal``) and reads a comma or a point the same way.
    """

    widget = forms.TextInput
    default_error_messages = {"invalid": "Écrivez un nombre, par exemple 6,50."}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)  # shown as "6,50"
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        """Read a comma or a point as the decimal mark, ignoring spaces and a trailing € or %."""
        if value not in self.empty_values:
            value = normalise_decimal(value)
        return super().to_python(value)

    def widget_attrs(self, widget):
        """The decimal keypad on phones; no ``step``/``min``/``max`` (they belong to ``type=number``)."""
        attrs = super().widget_attrs(widget)
        for key in ("step", "min", "max"):
            attrs.pop(key, None)
        return {**attrs, "inputmode": "decimal", "autocomplete": "off"}


class MoneyField(DecimalTextField):
    """An amount in euros, to the cent (``6,50``)."""

    default_error_messages = {"invalid": "Écrivez un montant en euros, par exemple 6,50."}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


#: ``formfield_overrides`` for admin pages with decimals (prices, fees, rates): text with a decimal
#: comma instead of ``type=number``.
FRENCH_DECIMALS = {models.DecimalField: {"form_class": DecimalTextField}}
