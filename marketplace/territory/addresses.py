"""Is a postal address in the territory? The postcode–commune pair checked against the 52 communes.

The communes and their postcodes come from the shipped official data (``data/ccpm_communes.csv``,
loaded into :class:`~.models.Commune`). Names are compared the way people write them: case,
accents, hyphens and apostrophes aside, with or without the article (``Le Quesnoy``/``Quesnoy``,
``La Flamengrie``/``Flamengrie``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .models import Commune

POSTCODE = re.compile(r"^\d{5}$")
ARTICLES = ("le ", "la ", "les ", "l ")


class AddressErrorCode:
    """Why an address cannot be used (codes of the ``ValidationError``)."""

    BAD_POSTCODE = "bad_postcode"
    COMMUNE_MISMATCH = "commune_mismatch"
    NO_STREET = "no_street"


def fold(name: str) -> str:
    """``"Le Quesnoy"`` -> ``"quesnoy"``: lower case, no accents, hyphens and apostrophes as spaces, no article."""
    decomposed = unicodedata.normalize("NFKD", name.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = " ".join(plain.replace("-", " ").replace("'", " ").replace("’", " ").split())
    for article in ARTICLES:
        if words.startswith(article):
            return words[len(article):]
    return words


@dataclass(frozen=True)
class CheckedAddress:
    """An address as typed, with its commune of the territory (None: outside, no home delivery)."""

    street: str
    postcode: str
    city: str
    commune: Commune | None

    @property
    def in_territory(self) -> bool:
        """Whether the van can deliver here (one of the 52 communes)."""
        return self.commune is not None

    @property
    def one_line(self) -> str:
        """``"3 rue Pasteur, 59530 Jolimetz"``."""
        return f"{self.street}, {self.postcode} {self.commune.name if self.commune else self.city}"


def check_address(street: str, postcode: str, city: str) -> CheckedAddress:
    """Check the postcode–commune pair; outside the territory the address is kept, without a commune.

    Raises
    ------
    ValidationError
        ``no_street``, ``bad_postcode`` (not five digits), or ``commune_mismatch`` when the
        postcode is one of the territory's but the commune is not one of that postcode (the
        message names the communes it has).
    """
    street, postcode, city = " ".join(street.split()), postcode.strip().replace(" ", ""), " ".join(city.split())
    if not street:
        raise ValidationError("Indiquez le numéro et la rue.", code=AddressErrorCode.NO_STREET)
    if not POSTCODE.match(postcode):
        raise ValidationError(f"Le code postal « {postcode} » doit avoir 5 chiffres, par exemple 59530.",
                              code=AddressErrorCode.BAD_POSTCODE)
    same_code = [c for c in Commune.objects.all() if postcode in c.postal_codes.split()]
    if not same_code:
        return CheckedAddress(street, postcode, city, None)
    wanted = fold(city)
    commune = next((c for c in same_code if fold(c.name) == wanted), None)
    if commune is None:
        names = ", ".join(sorted(c.name for c in same_code))
        raise ValidationError(f"La commune « {city} » n'a pas le code postal {postcode}. "
                              f"Communes du {postcode} : {names}.", code=AddressErrorCode.COMMUNE_MISMATCH)
    return CheckedAddress(street, postcode, commune.name, commune)
