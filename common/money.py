"""Money, one way everywhere: euros as ``Decimal``, rounded half-up to the cent, cents as ``int``.

Every app (vendors, storefront, short circuit, delivery, indicators, the Saleor adapter and the
PrestaShop bridge) converts and rounds amounts through this module, so a price, a VAT split, a
commission or an amount to collect at the door comes out the same on every page, email, CSV
and PDF. Pure Python: no Django.

- **Rounding:** half-up to the cent (``10.845`` -> ``10.85``), the rule of Saleor's ``prices``
  library; never the ``Decimal`` default (half-even: ``10.845`` -> ``10.84``) and never
  truncation (``int(19.99 * 100) == 1998``).
- **Input:** a ``Decimal``, an ``int``, a string, or a float read from JSON; a float goes
  through ``str`` first, so ``0.1 + 0.2`` counts as ``0.30``, not ``0.3000000000000000166``.
- **VAT:** prices are stored with VAT (TTC); :func:`excl_vat` is the one place a price
  without VAT (HT) is derived from one with it, and :func:`incl_vat` the reverse.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
Amount = Decimal | int | str | float


def to_decimal(value: Amount) -> Decimal:
    """An amount as an exact ``Decimal`` (floats through their shortest ``str``).

    Raises
    ------
    ValueError
        When ``value`` is not a finite number; the message names it.
    """
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"{value!r} is not an amount of money") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite amount of money")
    return number


def round_cents(value: Amount) -> Decimal:
    """Round to the cent, half-up: ``10.845`` -> ``Decimal("10.85")``."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(value: Amount) -> int:
    """Whole cents of an amount in euros, rounded half-up: ``19.99`` -> ``1999``."""
    return int(round_cents(value) * 100)


def from_cents(cents: int) -> Decimal:
    """Euros of a whole number of cents: ``1999`` -> ``Decimal("19.99")``.

    Raises
    ------
    ValueError
        When ``cents`` is not a whole number.
    """
    if isinstance(cents, bool) or int(cents) != cents:
        raise ValueError(f"{cents!r} is not a whole number of cents")
    return (Decimal(int(cents)) / 100).quantize(CENT)


def excl_vat(price_incl_vat: Amount, vat_rate_percent: Amount) -> Decimal:
    """The price without VAT (HT) of a price with VAT (TTC), to the cent: ``12.87``, 20 % -> ``10.73``."""
    rate = to_decimal(vat_rate_percent)
    return round_cents(to_decimal(price_incl_vat) / (1 + rate / 100))


def incl_vat(price_excl_vat: Amount, vat_rate_percent: Amount) -> Decimal:
    """The price with VAT (TTC) of a price without VAT (HT), to the cent: ``4.166667``, 20 % -> ``5.00``."""
    rate = to_decimal(vat_rate_percent)
    return round_cents(to_decimal(price_excl_vat) * (1 + rate / 100))


def percent_of(amount: Amount, rate_percent: Amount) -> Decimal:
    """``rate_percent`` % of ``amount``, to the cent (a commission): 19.99 € at 8.5 % -> ``1.70``."""
    return round_cents(to_decimal(amount) * to_decimal(rate_percent) / 100)


def per_unit(price: Amount, quantity: Amount) -> Decimal | None:
    """The price of one unit (kg, litre, piece), to the cent; None for a quantity of zero or less."""
    quantity = to_decimal(quantity)
    if quantity <= 0:
        return None
    return round_cents(to_decimal(price) / quantity)


#: CLDR's French grouping separator: a narrow no-break space (never a comma, never a line break).
THOUSANDS = "\u202f"


def format_number(value: Amount, decimals: int = 0) -> str:
    """Any number the French way, rounded half-up: ``10147.524, 2`` -> ``"10 147,52"`` (narrow spaces).

    The one French number format of the project: pages and PDFs (template filters ``nombre``,
    ``eur``, ``euros``) and chart axes all go through it, so nothing shows ``6,410,83`` (a
    comma-grouped number with a decimal comma) or ``1e7``. CSV files use :func:`decimal_comma`.
    """
    number = to_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", THOUSANDS)
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def format_eur(value: Amount, decimals: int = 2) -> str:
    """An amount in euros the French way: ``Decimal("1234.5")`` -> ``"1 234,50 €"``.

    ``decimals=0`` rounds to the euro (large figures on the indicators: ``"14 000 000 €"``).
    """
    return f"{format_number(value, decimals)} €"


def format_cents(cents: int) -> str:
    """Whole cents the French way: ``2350`` -> ``"23,50 €"``."""
    return format_eur(from_cents(cents))


def decimal_comma(value: Amount) -> str:
    """An amount to the cent with a decimal comma and no symbol, for French spreadsheets: ``"12,50"``."""
    return f"{round_cents(value):.2f}".replace(".", ",")
