"""PrestaShop orders to deliver by the community van: home deliveries inside the Pays de Mormal.

Pure Python (no Django): reads orders, their delivery addresses, customers and carriers
through the client, keeps the home-delivery orders whose address is one of the 52 communes
(postcode *and* commune name, from ``marketplace/territory/data/ccpm_communes.csv``), and
returns :class:`DeliveryRequest` values for the delivery app to plan. Orders outside the area,
collected in shop, cancelled or malformed are returned as skipped, each with its reason.
"""

from __future__ import annotations

import csv
import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Skipped
from .client import between, one_of
from .errors import PrestaShopError
from .mapping import MappingError, as_decimal, as_int, text
from .ports import PrestaShopPort
from .pull import optional_list, resilient_pages, source_key

log = logging.getLogger(__name__)

COMMUNES_CSV = Path(__file__).resolve().parents[2] / "marketplace" / "territory" / "data" / "ccpm_communes.csv"
#: Stock PrestaShop order states that mean "do not deliver": cancelled, refunded, payment error.
NOT_TO_DELIVER_STATES = {6, 7, 8}
#: Words in a carrier's name that mean the customer collects the parcel.
PICKUP_WORDS = ("retrait", "click", "collect", "magasin", "relais", "boutique")


@dataclass(frozen=True)
class AreaCommune:
    """A commune of the area, as the delivery side needs it."""

    insee: str
    name: str
    postcodes: tuple[str, ...]
    lon: float
    lat: float


@dataclass(frozen=True)
class OrderLine:
    """One ordered item."""

    ps_product_id: int
    ps_combination_id: int
    name: str
    quantity: int


@dataclass(frozen=True)
class DeliveryRequest:
    """A PrestaShop order the van could deliver at home, with what the driver needs to know."""

    source: str
    ps_order_id: int
    reference: str
    placed_at: str
    recipient: str
    phone: str
    address: str
    postcode: str
    city: str
    insee: str
    lon: float
    lat: float
    total_paid_eur: str
    lines: tuple[OrderLine, ...]
    note: str = ""


def fold(value: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces: ``"Saint-Rémy"`` -> ``"saint remy"``."""
    decomposed = unicodedata.normalize("NFKD", value.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.replace("-", " ").replace("'", " ").replace("’", " ").split())


def commune_key(name: str) -> str:
    """Matching key of a commune name: folded, without a leading article, ``St`` spelt out.

    ``"Le Quesnoy"``, ``"LE QUESNOY"`` and ``"Quesnoy"`` (the INSEE spelling) give one key.
    """
    words = fold(name).split()
    if words and words[0] in {"le", "la", "les", "l"}:
        words = words[1:]
    return " ".join({"st": "saint", "ste": "sainte"}.get(w, w) for w in words)


def load_area(path: Path = COMMUNES_CSV) -> dict[tuple[str, str], AreaCommune]:
    """The 52 communes keyed by ``(postcode, commune_key(name))``.

    Raises
    ------
    ValueError
        If a row lacks a column or has a non-numeric coordinate; the message names the line.
    """
    area = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            try:
                postcodes = tuple(row["codes_postaux"].replace(";", " ").replace("|", " ").split())
                commune = AreaCommune(row["insee"], row["nom"], postcodes, float(row["mairie_lon"]), float(row["mairie_lat"]))
            except (KeyError, ValueError) as exc:
                raise ValueError(f"{path.name} line {line_no}: bad commune row ({exc})") from exc
            for postcode in postcodes:
                area[(postcode, commune_key(commune.name))] = commune
    return area


def _by_id(records: list[dict]) -> dict[int, dict]:
    return {as_int(r.get("id"), "id") or 0: r for r in records}


def pull_delivery_requests(
    client: PrestaShopPort, *, since: str, area: dict[tuple[str, str], AreaCommune] | None = None,
    home_carrier_ids: set[int] | None = None, page_size: int = 100,
) -> tuple[list[DeliveryRequest], list[Skipped]]:
    """Home-delivery orders placed since ``since`` (shop time) whose address is in the area.

    Parameters
    ----------
    since : str
        ``YYYY-MM-DD HH:MM:SS``; orders are selected on ``date_add`` with ``date=1``.
    home_carrier_ids : set of int, optional
        Carriers that deliver at home. By default every carrier whose name does not say
        the parcel is collected (``PICKUP_WORDS``).

    Raises
    ------
    PrestaShopAuthError
        If the key is refused.
    """
    area = area if area is not None else load_area()
    prefix = source_key(client.root)
    carriers = _by_id(optional_list(client, "carriers", display="[id,name]"))
    if home_carrier_ids is None:
        home_carrier_ids = {cid for cid, c in carriers.items() if not any(w in text(c.get("name")).lower() for w in PICKUP_WORDS)}
    requests: list[DeliveryRequest] = []
    skipped: list[Skipped] = []
    for _offset, orders, page_skipped, _rows in resilient_pages(
        client, "orders", page_size=page_size, display="full", date=True,
        filters={"date_add": between(since, "9999-12-31 23:59:59")},
    ):
        skipped.extend(page_skipped)
        address_ids = sorted({as_int(o.get("id_address_delivery"), "address", 0) or 0 for o in orders} - {0})
        customer_ids = sorted({as_int(o.get("id_customer"), "customer", 0) or 0 for o in orders} - {0})
        addresses = _by_id(_fetch(client, "addresses", address_ids))
        customers = _by_id(_fetch(client, "customers", customer_ids, display="[id,firstname,lastname]"))
        for order in orders:
            order_id = text(order.get("id")) or "?"
            try:
                request, reason = _to_request(order, addresses, customers, home_carrier_ids, area, prefix)
            except MappingError as exc:
                reason, request = f"malformed order: {exc}", None
            if request is None:
                log.info("PrestaShop order %s not for the van: %s", order_id, reason)
                skipped.append(Skipped("orders", order_id, reason))
            else:
                requests.append(request)
    return requests, skipped


def _fetch(client: PrestaShopPort, resource: str, ids: list[int], display: str = "full") -> list[dict]:
    if not ids:
        return []
    try:
        return client.get_list(resource, display=display, filters={"id": one_of(ids)})
    except PrestaShopError as exc:
        if exc.status == 401 and exc.code != 26:
            raise
        log.warning("PrestaShop %s unreadable (%s)", resource, exc)
        return []


def _to_request(order, addresses, customers, home_carrier_ids, area, prefix) -> tuple[DeliveryRequest | None, str]:
    order_id = as_int(order.get("id"), "order id")
    if not order_id:
        raise MappingError("order has no id")
    state = as_int(order.get("current_state"), f"state of order {order_id}", 0)
    if state in NOT_TO_DELIVER_STATES:
        return None, f"order state {state} (cancelled, refunded or payment error)"
    carrier = as_int(order.get("id_carrier"), f"carrier of order {order_id}", 0)
    if carrier not in home_carrier_ids:
        return None, f"carrier {carrier} is not a home delivery"
    address = addresses.get(as_int(order.get("id_address_delivery"), "address", 0) or 0)
    if address is None:
        return None, "delivery address not readable"
    postcode, city = text(address.get("postcode")).replace(" ", ""), text(address.get("city"))
    commune = area.get((postcode, commune_key(city)))
    if commune is None:
        in_postcode = any(pc == postcode for pc, _ in area)
        why = "city is not one of the 52 communes" if in_postcode else "postcode outside the Pays de Mormal"
        return None, f"{postcode} {city}: {why}"
    customer = customers.get(as_int(order.get("id_customer"), "customer", 0) or 0, {})
    recipient = " ".join(filter(None, [text(address.get("firstname")) or text(customer.get("firstname")),
                                       text(address.get("lastname")) or text(customer.get("lastname"))]))
    rows = (order.get("associations") or {}).get("order_rows") or [] if isinstance(order.get("associations"), dict) else []
    lines = tuple(
        OrderLine(as_int(r.get("product_id"), "product_id", 0) or 0, as_int(r.get("product_attribute_id"), "attribute", 0) or 0,
                  text(r.get("product_name")), as_int(r.get("product_quantity"), f"quantity in order {order_id}", 0) or 0)
        for r in rows if isinstance(r, dict)
    )
    if not lines:
        return None, "order has no lines"
    total = as_decimal(order.get("total_paid_tax_incl") or order.get("total_paid"), f"total of order {order_id}")
    street = ", ".join(filter(None, [text(address.get("address1")), text(address.get("address2"))]))
    return DeliveryRequest(
        source=f"{prefix}:order:{order_id}", ps_order_id=order_id, reference=text(order.get("reference")),
        placed_at=text(order.get("date_add")), recipient=recipient or "Client PrestaShop",
        phone=text(address.get("phone_mobile")) or text(address.get("phone")), address=f"{street}, {postcode} {commune.name}",
        postcode=postcode, city=commune.name, insee=commune.insee, lon=commune.lon, lat=commune.lat,
        total_paid_eur=str(total or "0"), lines=lines, note=text(address.get("other")),
    ), ""
