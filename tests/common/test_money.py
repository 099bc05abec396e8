"""One money rule: Decimal euros, half-up to the cent, exact cents, one HT/TTC conversion."""

from decimal import Decimal

import pytest

from common import money


@pytest.mark.parametrize(("amount", "half_up", "old_default"), [
    ("10.855", "10.86", "10.86"),
    ("10.845", "10.85", "10.84"),  # Decimal's default (banker's) rounding kept the even cent
    ("0.125", "0.13", "0.12"),
    ("2.675", "2.68", "2.68"),
    ("-1.005", "-1.01", "-1.00"),
])
def test_half_up_to_the_cent_where_bankers_rounding_disagreed(amount, half_up, old_default):
    assert money.round_cents(Decimal(amount)) == Decimal(half_up)
    assert Decimal(amount).quantize(Decimal("0.01")) == Decimal(old_default)  # the rule it replaces


def test_floats_from_json_count_as_the_number_they_print():
    assert money.round_cents(0.1 + 0.2) == Decimal("0.30")
    assert money.to_cents(0.1 + 0.2) == 30
    assert money.round_cents(2.675) == Decimal("2.68")  # the float is 2.67499999..., its text is 2.675
    assert money.round_cents(1.005) == Decimal("1.01")


def test_cents_are_never_truncated():
    assert int(19.99 * 100) == 1998  # what int(x * 100) did to a float price
    assert money.to_cents(19.99) == 1999
    assert money.to_cents(Decimal("19.99")) == 1999
    assert money.to_cents("0.295") == 30
    assert money.from_cents(1999) == Decimal("19.99")
    assert money.to_cents(money.from_cents(123456)) == 123456


def test_one_vat_split_and_its_inverse():
    assert money.excl_vat(Decimal("12.87"), "20.00") == Decimal("10.73")  # 10.725: half-even gave 10.72
    assert money.excl_vat(Decimal("10.55"), "5.50") == Decimal("10.00")
    assert money.incl_vat(Decimal("4.166667"), Decimal("20")) == Decimal("5.00")
    assert money.incl_vat(Decimal("0.125"), "0") == Decimal("0.13")


def test_commissions_and_unit_prices():
    assert money.percent_of(Decimal("19.99"), Decimal("8.5")) == Decimal("1.70")  # 1.69915
    assert int(1999 * Decimal("8.5") / 100) == 169  # the truncation the indicators used
    assert money.per_unit(Decimal("4.50"), Decimal("0.250")) == Decimal("18.00")
    assert money.per_unit(Decimal("1.00"), Decimal("3")) == Decimal("0.33")
    assert money.per_unit(Decimal("1.00"), 0) is None


def test_french_display():
    assert money.format_cents(350) == "3,50 €"
    assert money.format_cents(2350) == "23,50 €"
    assert money.format_eur(Decimal("1234.5")) == "1\u202f234,50 €"
    assert money.format_eur(Decimal("-0.5")) == "-0,50 €"
    assert money.decimal_comma(Decimal("12.5")) == "12,50"


def test_bad_amounts_are_named():
    with pytest.raises(ValueError, match="'douze'"):
        money.to_decimal("douze")
    with pytest.raises(ValueError, match="not a finite"):
        money.to_decimal(float("nan"))
    with pytest.raises(ValueError, match="whole number of cents"):
        money.from_cents(12.5)
