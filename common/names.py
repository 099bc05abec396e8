"""French proper names in a sentence: "Mairie du Quesnoy", "Mairie d'Englefontaine", "Articles d'Au Fournil".

Pure Python. The preposition *de* before a name follows French usage: it elides before a vowel
(*d'Englefontaine*, *d'Au Fournil du Quesnoy*) and contracts with a leading article *Le* or
*Les* (*du Quesnoy*, *des Jardins de Jolimetz*); *La* and *L'* keep their capital, as in the
name (*de La Flamengrie*, *de L'Atelier du Chêne*). An *h* is left alone (aspirated or not
depends on the word), so *de Hargnies*.
"""

from __future__ import annotations

VOWELS = set("AEIOUYÀÂÄÆÉÈÊËÎÏÔÖŒÙÛÜaeiouyàâäæéèêëîïôöœùûü")


def de(name: str) -> str:
    """``"de"`` and ``name`` as French writes them: ``"Le Quesnoy"`` -> ``"du Quesnoy"``.

    Examples: ``"Bavay"`` -> ``"de Bavay"``, ``"Englefontaine"`` -> ``"d'Englefontaine"``,
    ``"Les Jardins"`` -> ``"des Jardins"``, ``"La Flamengrie"`` -> ``"de La Flamengrie"``.
    """
    name = " ".join(str(name).split())
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name[:1] in VOWELS and not name.startswith(("L'", "L’")):
        return "d'" + name
    return "de " + name
