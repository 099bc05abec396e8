"""Fixtures of the site-wide page tests: a person who may open every page (staff and vendor owner)."""

import pytest

from tests.vendors.conftest import make_product, make_vendor, saleor  # noqa: F401  (shared fixtures)


@pytest.fixture
def everywhere_user(make_vendor, django_user_model):  # noqa: F811 (fixture imported above)
    """A staff superuser who also owns an active producer vendor: every page opens for them."""
    from marketplace.vendors.models import VendorMembership

    vendor = make_vendor("ferme-du-pont", "Jolimetz", "41234567", kind="producer")
    user = django_user_model.objects.create_user(username="partout", email="partout@exemple.fr",
                                                 password="mot-de-passe-2026", is_staff=True, is_superuser=True)
    VendorMembership.objects.create(user=user, vendor=vendor, role=VendorMembership.Role.OWNER)
    return user
