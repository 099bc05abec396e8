"""Communes, relay points and generated sentences carry French names as people write them."""

from marketplace.territory.models import Commune, RelayPoint


def test_communes_keep_their_article(communes):
    names = set(communes.values_list("name", flat=True))
    assert {"Le Quesnoy", "La Flamengrie", "Le Favril", "La Longueville", "Louvignies-Quesnoy"} <= names
    assert not {"Quesnoy", "Flamengrie", "Favril", "Longueville"} & names
    assert Commune.objects.get(insee="59481").name == "Le Quesnoy"


def test_demo_relay_points_are_named_the_french_way(db):
    from io import StringIO

    from marketplace.territory import seed

    seed.run(StringIO())
    names = set(RelayPoint.objects.values_list("name", flat=True))
    assert {"Mairie du Quesnoy", "Mairie d'Englefontaine", "Mairie d'Orée de Mormal", "Mairie de Bavay"} <= names
    assert not [n for n in names if " de Le " in n or " de E" in n or " de O" in n]
    # an older seed's name is put right, not duplicated
    RelayPoint.objects.filter(name="Mairie du Quesnoy").update(name="Mairie de Quesnoy")
    seed.run(StringIO())
    assert RelayPoint.objects.filter(commune__insee="59481").get().name == "Mairie du Quesnoy"


def test_template_filter_writes_de_the_french_way():
    from django.template import engines

    template = engines["django"].from_string("Articles {{ v|de }} · Commerces {{ c|de }}")
    assert template.render({"v": "Au Fournil du Quesnoy", "c": "Le Quesnoy"}) == (
        "Articles d&#x27;Au Fournil du Quesnoy · Commerces du Quesnoy")
