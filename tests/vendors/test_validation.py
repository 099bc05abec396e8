"""Vendor model validation: SIRET and VAT checksums, commission bounds, opening hours."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from marketplace.vendors.error_codes import VendorErrorCode as Code
from marketplace.vendors.forms import parse_hours
from marketplace.vendors.seed import siret_for
from marketplace.vendors.validators import (
    luhn_ok,
    validate_opening_hours,
    validate_siret,
    validate_vat_number,
    vat_key,
)


def _codes(exc: ValidationError) -> set[str]:
    return {e.code for e in exc.error_list}


def test_a_real_siret_passes_luhn():
    # given the SIRET of a real establishment (INSEE's own example, Luhn-valid)
    validate_siret("73282932000074")


@pytest.mark.parametrize("value, code", [("73282932000075", "siret_checksum"), ("7328293200007", "siret_format"),
                                         ("7328293200007A", "siret_format"), ("", "siret_format")])
def test_a_bad_siret_is_refused_with_a_code(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_siret(value)
    assert _codes(exc.value) == {code}


def test_la_poste_establishments_use_the_digit_sum_rule():
    # given a La Poste SIRET whose digits sum to a multiple of 5 but which fails Luhn
    value = "35600000000100"
    assert sum(map(int, value)) % 5 == 0 and not luhn_ok(value)
    validate_siret(value)


def test_vat_number_key_is_checked_against_the_siren():
    siren = "732829320"
    good = f"FR{vat_key(siren):02d}{siren}"
    assert good == "FR44732829320"  # the published example for this SIREN
    validate_vat_number(good)
    with pytest.raises(ValidationError) as exc:
        validate_vat_number("FR45732829320")
    assert _codes(exc.value) == {"vat_checksum"}


def test_vendor_vat_number_must_belong_to_its_siret(maroilles):
    # given a vendor whose VAT number is valid but for another company
    maroilles.vat_number = "FR44732829320"
    with pytest.raises(ValidationError) as exc:
        maroilles.full_clean()
    assert "vat_number" in exc.value.error_dict


@pytest.mark.parametrize("rate, ok", [(Decimal("0"), True), (Decimal("30"), True), (Decimal("30.01"), False), (Decimal("-1"), False)])
def test_commission_rate_is_between_0_and_30_percent(maroilles, rate, ok):
    maroilles.commission_rate = rate
    if ok:
        maroilles.full_clean()
    else:
        with pytest.raises(ValidationError) as exc:
            maroilles.full_clean()
        assert "commission_rate" in exc.value.error_dict


def test_database_refuses_a_commission_above_30_even_bypassing_forms(maroilles):
    from marketplace.vendors.models import Vendor

    with pytest.raises(IntegrityError):
        Vendor.objects.filter(pk=maroilles.pk).update(commission_rate=Decimal("45"))


@pytest.mark.parametrize("hours, code", [
    ({"8": []}, Code.HOURS_UNKNOWN_DAY), ({"1": [["09:00"]]}, Code.HOURS_BAD_INTERVAL),
    ({"1": [["12:00", "09:00"]]}, Code.HOURS_OVERLAP), ({"1": [["09:00", "12:00"], ["11:00", "14:00"]]}, Code.HOURS_OVERLAP),
    ({"1": [["9h", "12h"]]}, Code.HOURS_BAD_INTERVAL), ({"1": "09:00-12:00"}, Code.HOURS_NOT_A_LIST), ([], Code.HOURS_NOT_A_WEEK),
])
def test_bad_opening_hours_are_refused(hours, code):
    with pytest.raises(ValidationError) as exc:
        validate_opening_hours(hours)
    assert _codes(exc.value) == {code}


def test_opening_hours_text_is_parsed_like_a_shopkeeper_writes_it():
    assert parse_hours("9h00-12h30, 14:30 - 19:00") == [["09:00", "12:30"], ["14:30", "19:00"]]
    assert parse_hours("fermé") == []
    with pytest.raises(ValidationError):
        parse_hours("le matin")


def test_seed_sirets_are_valid():
    from marketplace.vendors.seed_data import VENDORS

    for spec in VENDORS:
        validate_siret(siret_for(spec["siren"]))
