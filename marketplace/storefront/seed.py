"""Demo seed for the storefront: the van's weekly calendar over the 52 communes, and proxies."""

from delivery.models import ServiceArea
from marketplace.territory.models import Commune, Shopper

from .models import Representative, SlotPattern

# Five rounds, Monday to Friday, each a band of neighbouring communes (by longitude).
AREAS = ["Tournée ouest — Solesmes, Vendegies", "Tournée Le Quesnoy", "Tournée forêt de Mormal",
         "Tournée Bavay", "Tournée Landrecies — Maroilles"]


def run(stdout) -> None:
    """Create the calendar (once) and a relative who may order for a senior."""
    if not ServiceArea.objects.exists():
        communes = sorted(Commune.objects.all(), key=lambda c: (c.lon, c.lat))
        size = -(-len(communes) // len(AREAS))
        for index, name in enumerate(AREAS):
            area = ServiceArea.objects.create(name=name, weekday=index + 1)
            area.communes.set(communes[index * size:(index + 1) * size])
            SlotPattern.objects.create(area=area, start_s=9 * 3600, end_s=12 * 3600, capacity=8, price_cents=300)
            SlotPattern.objects.create(area=area, start_s=14 * 3600, end_s=17 * 3600, capacity=8, price_cents=300)
    senior = Shopper.objects.filter(is_senior=True).order_by("pk").first()
    relative = Shopper.objects.filter(is_senior=False).order_by("pk").first()
    if senior and relative:
        Representative.objects.get_or_create(person=senior, user=relative.user,
                                             defaults={"relation": Representative.Relation.RELATIVE})
    stdout.write(f"storefront: {ServiceArea.objects.count()} delivery rounds, {SlotPattern.objects.count()} slot patterns")
