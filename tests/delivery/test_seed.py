"""The demo day: a depot at Le Quesnoy, two vans, a planned day with sheets and phone views."""

import io

from delivery.models import DeliveryTask, Round, Van
from delivery.views.access import phone_path


def test_demo_seed_plans_a_day_with_a_sheet_and_a_phone_view_per_van(communes, client, admin_user):
    # a small territory without password hashing (the territory seed is exercised elsewhere)
    from django.contrib.auth import get_user_model

    from delivery.seed import run as seed_delivery
    from marketplace.territory.models import Commune, RelayPoint, Shopper
    from marketplace.territory.seed import RELAY_TOWN_HALLS, TOWN_HALL_HOURS

    for name in list(RELAY_TOWN_HALLS)[:4]:
        c = Commune.objects.get(name=name)
        RelayPoint.objects.create(name=f"Mairie de {name}", kind="town_hall", commune=c, address=name,
                                  lon=c.town_hall_lon, lat=c.town_hall_lat, opening_hours=TOWN_HALL_HOURS,
                                  fridge_capacity_l=100)
    for i, c in enumerate(Commune.objects.order_by("insee")[:20]):
        user = get_user_model().objects.create(username=f"c{i}", first_name="Client", last_name=str(i))
        Shopper.objects.create(user=user, address=f"1 rue, {c.name}", commune=c, lon=c.lon, lat=c.lat)

    out = io.StringIO()
    seed_delivery(out)
    seed_delivery(out)  # every demo start runs it again

    assert Van.objects.count() == 2
    assert DeliveryTask.objects.count() == 6 * 2 + 12 + 4
    rounds = list(Round.objects.filter(plan__is_current=True))
    assert len(rounds) == 2
    client.force_login(admin_user)
    for rnd in rounds:
        assert client.get(f"/livraison/tournee/{rnd.pk}/feuille.pdf").content.startswith(b"%PDF")
        assert client.get(phone_path(rnd.shift)).status_code == 200
    assert client.get(f"/livraison/jour/{rounds[0].plan.day_id}/").status_code == 200
