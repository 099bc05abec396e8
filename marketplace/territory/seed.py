"""Demo seed for the territory: communes, relay points at town halls, shoppers."""

import random

from django.contrib.auth import get_user_model

from common.names import de

from .actions import load_communes
from .models import Commune, RelayPoint, Shopper

# Town halls that act as relay points in the demo, with their chilled fridge size (litres).
RELAY_TOWN_HALLS = {
    "Le Quesnoy": 120, "Bavay": 120, "Landrecies": 100, "Locquignol": 60, "Poix-du-Nord": 80,
    "Englefontaine": 60, "Jolimetz": 40, "Villereau": 40, "Gommegnies": 60, "Maroilles": 80,
    "Orée de Mormal": 100, "Preux-au-Bois": 40,
}
TOWN_HALL_HOURS = {str(d): [["09:00", "12:00"], ["14:00", "17:30"]] for d in range(1, 6)}
TOWN_HALL_HOURS["6"] = [["09:00", "12:00"]]

FIRST = ["Jeanne", "Marcel", "Odette", "Roger", "Simone", "André", "Lucienne", "Gérard", "Paulette",
         "Raymond", "Claire", "Julien", "Sophie", "Thomas", "Camille", "Hugo", "Léa", "Nicolas"]
LAST = ["Dupont", "Lefebvre", "Leroy", "Moreau", "Delattre", "Caron", "Dubois", "Lemaire",
        "Fontaine", "Bernard", "Carlier", "Lenoir", "Petit", "Mercier", "Duhamel", "Wattiez"]
STREETS = ["rue de la Gare", "rue du Général de Gaulle", "rue Pasteur", "place de l'Église",
           "rue de la Forêt", "chemin du Moulin", "rue des Écoles", "rue Jean Jaurès"]
NOTES = ["", "", "Sonner deux fois", "Clés dans la boîte à gauche de la porte", "Chien dans la cour",
         "Porter à l'intérieur", "Entrée par le jardin"]


def jitter(rng: random.Random, lon: float, lat: float, metres: float) -> tuple[float, float]:
    """Move a point by up to ``metres`` in a random direction (about 1e-5 degrees per metre)."""
    return (lon + rng.uniform(-1, 1) * metres * 1.4e-5, lat + rng.uniform(-1, 1) * metres * 0.9e-5)


def run(stdout) -> None:
    """Seed communes, relay points and 60 shoppers; existing rows are kept."""
    n = load_communes()
    for name, fridge in RELAY_TOWN_HALLS.items():
        commune = Commune.objects.get(name=name)
        point, created = RelayPoint.objects.get_or_create(
            kind=RelayPoint.Kind.TOWN_HALL, commune=commune,
            defaults={
                "name": f"Mairie {de(name)}", "address": f"Mairie, {commune.main_postal_code} {name}",
                "lon": commune.town_hall_lon, "lat": commune.town_hall_lat, "opening_hours": TOWN_HALL_HOURS,
                "fridge_capacity_l": fridge,
            },
        )
        if not created and point.name != f"Mairie {de(name)}":  # an older seed wrote "Mairie de Quesnoy"
            point.name = f"Mairie {de(name)}"
            point.save(update_fields=["name"])
    User = get_user_model()
    staff, created = User.objects.get_or_create(username="equipe", defaults={"first_name": "Équipe", "last_name": "CCPM",
                                                                             "email": "equipe@mormal.local", "is_staff": True, "is_superuser": True})
    if created:
        staff.set_password("mormal-equipe-2026")
        staff.save()
    rng = random.Random(59530)
    communes = list(Commune.objects.order_by("insee"))
    for i in range(60):
        commune = rng.choices(communes, weights=[c.population for c in communes])[0]
        first, last = rng.choice(FIRST), rng.choice(LAST)
        user, created = User.objects.get_or_create(
            username=f"client{i + 1:02d}", defaults={"first_name": first, "last_name": last, "email": f"client{i + 1:02d}@exemple.fr"})
        if created:
            user.set_password("mormal-client-2026")
            user.save()
        lon, lat = jitter(rng, commune.lon, commune.lat, 600)
        senior = rng.random() < 0.3
        Shopper.objects.get_or_create(user=user, defaults={
            "phone": f"03 27 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            "address": f"{rng.randint(1, 80)} {rng.choice(STREETS)}, {commune.main_postal_code} {commune.name}",
            "commune": commune, "lon": lon, "lat": lat, "doorstep_notes": (notes := rng.choice(NOTES)),
            "access_codes": "boîte à clés 1944" if "boîte" in notes else "",
            "is_senior": senior, "is_isolated": senior and rng.random() < 0.5,
            "contact_name": f"CCAS {de(commune.name)}" if senior else "", "contact_phone": "03 27 00 00 00" if senior else "",
        })
    stdout.write(f"territory: {n} communes, {RelayPoint.objects.count()} relay points, {Shopper.objects.count()} shoppers")
