"""French names as people write them: articles kept, "de" elided or contracted."""

import pytest

from common.names import de


@pytest.mark.parametrize(("name", "phrase"), [
    ("Le Quesnoy", "du Quesnoy"), ("La Flamengrie", "de La Flamengrie"), ("Englefontaine", "d'Englefontaine"),
    ("Au Fournil du Quesnoy", "d'Au Fournil du Quesnoy"), ("Les Jardins de Jolimetz", "des Jardins de Jolimetz"),
    ("L'Atelier du Chêne", "de L'Atelier du Chêne"), ("Orée de Mormal", "d'Orée de Mormal"), ("Bavay", "de Bavay"),
    ("Hargnies", "de Hargnies"), ("Écomusée", "d'Écomusée"),
])
def test_de_before_a_name(name, phrase):
    assert de(name) == phrase
