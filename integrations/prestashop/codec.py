"""Safe decoding of PrestaShop Webservice bodies (XML or JSON) and XML encoding of writes.

Both formats decode to the same plain shape, so the mapping never knows which one was read:

- a record is a ``dict`` of field name to value;
- a plain field is a ``str`` (CDATA content, or the JSON scalar);
- a multilingual field is a list of ``{"id": "1", "value": "Pain"}`` (JSON may also give a
  plain string when one language was asked for);
- ``associations`` is a dict of association name to a list of small records (``{"id": "2"}``).

XML goes through ``defusedxml`` with DTDs, entities and external references forbidden, so a
"billion laughs" body or an XXE attempt raises :class:`~.errors.MalformedResponse` before any
expansion happens. Nothing here performs I/O.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, ParseError, SubElement, tostring

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from .errors import ApiErrorItem, MalformedResponse, NotPrestaShopAnswer

XLINK_NS = "http://www.w3.org/1999/xlink"

#: Resource (plural, as in the URL) to record node name (singular), for the resources we touch.
SINGULAR = {
    "addresses": "address",
    "carriers": "carrier",
    "categories": "category",
    "combinations": "combination",
    "countries": "country",
    "customers": "customer",
    "images": "image",
    "languages": "language",
    "manufacturers": "manufacturer",
    "order_carriers": "order_carrier",
    "order_details": "order_detail",
    "order_histories": "order_history",
    "order_states": "order_state",
    "orders": "order",
    "product_option_values": "product_option_value",
    "product_options": "product_option",
    "products": "product",
    "shops": "shop",
    "stock_availables": "stock_available",
    "suppliers": "supplier",
    "tax_rule_groups": "tax_rule_group",
    "tax_rules": "tax_rule",
    "taxes": "tax",
}


def singular(resource: str) -> str:
    """Return the record node name for a resource (``"stock_availables"`` -> ``"stock_available"``)."""
    if resource in SINGULAR:
        return SINGULAR[resource]
    if resource.endswith("ies"):
        return resource[:-3] + "y"
    return resource[:-1] if resource.endswith("s") else resource


@dataclass
class Decoded:
    """A decoded body: records (a list answer, or one record), or errors."""

    records: list[dict[str, Any]] = field(default_factory=list)
    errors: list[ApiErrorItem] = field(default_factory=list)


# ------------------------------------------------------------------------------ what came back


def _snippet(body: bytes, size: int = 60) -> str:
    text = " ".join(body[:400].decode("utf-8", "replace").split())
    return text[:size] + ("…" if len(text) > size else "")


def looks_like_html(body: bytes) -> bool:
    """Whether a body is a web page (``<!DOCTYPE html>``, ``<html>``), the usual answer of a wrong URL."""
    head = body.lstrip()[:200].lower()
    return head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<?xml") and b"<html" in head)


def describe_body(body: bytes) -> str:
    """What a body is, in words, for an error message: ``"an empty body"``, ``"an HTML page ('…')"``."""
    stripped = body.strip()
    if not stripped:
        return "an empty body"
    if looks_like_html(stripped):
        return f"an HTML page ({_snippet(stripped)!r})"
    if stripped[:1] == b"<":
        return f"XML ({_snippet(stripped)!r})"
    try:
        value = json.loads(stripped)
    except (ValueError, RecursionError):
        return f"text that is neither XML nor JSON ({_snippet(stripped)!r})"
    kind = {bool: "a JSON boolean", int: "a JSON number", float: "a JSON number", str: "a JSON string",
            list: "a JSON list", dict: "a JSON object", type(None): "JSON null"}[type(value)]
    return f"{kind} ({_snippet(stripped)})"


# ---------------------------------------------------------------------------------------- XML


def parse_xml(body: bytes, url: str) -> Element:
    """Parse XML safely (no DTD, entity or external reference).

    Raises
    ------
    MalformedResponse
        On a syntax error or anything unsafe.
    """
    try:
        return SafeET.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise MalformedResponse(f"refused unsafe XML ({type(exc).__name__}: {exc})", url) from exc
    except (ParseError, ValueError) as exc:
        raise MalformedResponse(f"the XML could not be parsed ({exc})", url) from exc


def _value(el: Element) -> Any:
    children = list(el)
    if not children:
        return el.text or ""
    if all(child.tag == "language" for child in children):
        return [{"id": child.get("id", ""), "value": child.text or ""} for child in children]
    if el.tag == "associations":
        return {assoc.tag: [_record(item) for item in assoc] for assoc in children}
    return _record(el)


def _record(el: Element) -> dict[str, Any]:
    record: dict[str, Any] = {}
    if el.get("id") is not None:  # list without display: <product id="2" xlink:href=".."/>
        record["id"] = el.get("id")
    for child in el:
        record[child.tag] = _value(child)
    return record


def _xml_errors(root: Element) -> list[ApiErrorItem]:
    items = []
    for err in root.iter("error"):
        code_text = (err.findtext("code") or "").strip()
        code = int(code_text) if code_text.isdigit() else None
        items.append(ApiErrorItem(code, (err.findtext("message") or "").strip()))
    return items


def decode_xml(body: bytes, *, many: bool, url: str = "", status: int | None = 200) -> Decoded:
    """Decode an XML body into records or errors.

    Parameters
    ----------
    body : bytes
        The raw response body.
    many : bool
        ``True`` for a list answer (``<prestashop><products><product/>...``), ``False`` for one
        record (``<prestashop><product>...``).
    url : str
        Named in error messages.

    Raises
    ------
    NotPrestaShopAnswer
        For an empty body, an HTML page, or XML whose root is not ``<prestashop>``.
    MalformedResponse
        On a syntax error, a DTD, an entity declaration or an external reference.
    """
    if not body.strip() or looks_like_html(body):
        raise NotPrestaShopAnswer(status, describe_body(body), url)
    root = parse_xml(body, url)
    if root.tag != "prestashop":
        raise NotPrestaShopAnswer(status, f"XML whose root is <{root.tag}>, not <prestashop>", url)
    if root.find("errors") is not None:
        return Decoded(errors=_xml_errors(root))
    container = next(iter(root), None)
    if container is None:
        return Decoded()
    if many:
        return Decoded(records=[_record(item) for item in container])
    return Decoded(records=[_record(container)])


# --------------------------------------------------------------------------------------- JSON


def decode_json(body: bytes, *, many: bool, url: str = "", status: int | None = 200) -> Decoded:
    """Decode a JSON body (``output_format=JSON``), including the ``[]`` empty-list quirk.

    Raises
    ------
    NotPrestaShopAnswer
        For an empty body, or JSON that is not an object (a number, a string, ``true``…).
    MalformedResponse
        When the body is not JSON ("the JSON could not be parsed") or not shaped like a
        Webservice answer.
    """
    if not body.strip():
        raise NotPrestaShopAnswer(status, describe_body(body), url)
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise MalformedResponse(f"the JSON could not be parsed ({exc})", url, status) from exc
    if data == [] or data == {}:  # PrestaShop's empty list (issues #10172, #22760)
        return Decoded()
    if not isinstance(data, dict):
        raise NotPrestaShopAnswer(status, describe_body(body), url)
    if "errors" in data:
        items = [
            ApiErrorItem(int(e["code"]) if str(e.get("code", "")).isdigit() else None, str(e.get("message", "")))
            for e in data["errors"]
            if isinstance(e, dict)
        ]
        return Decoded(errors=items)
    value = next(iter(data.values()))
    if many:
        if not isinstance(value, list):
            raise MalformedResponse("expected a JSON list of records", url)
        return Decoded(records=[v for v in value if isinstance(v, dict)])
    if not isinstance(value, dict):
        raise MalformedResponse("expected one JSON record", url)
    return Decoded(records=[value])


# ------------------------------------------------------------------------------------ writing


def _fill(el: Element, value: Any) -> None:
    if isinstance(value, dict):  # associations or a nested record
        for name, inner in value.items():
            child = SubElement(el, name)
            if isinstance(inner, list):
                item_name = singular(name)
                for item in inner:
                    _fill(SubElement(child, item_name), item)
            else:
                _fill(child, inner)
    elif isinstance(value, list):  # multilingual
        for lang in value:
            SubElement(el, "language", id=str(lang["id"])).text = str(lang["value"])
    elif value is not None:
        el.text = str(value)


def encode_record(resource: str, fields: dict[str, Any]) -> bytes:
    """Encode one record as the XML body PrestaShop expects for POST, PUT and PATCH.

    Values are written without surrounding whitespace, as the Webservice requires.
    """
    root = Element("prestashop", {"xmlns:xlink": XLINK_NS})
    _fill(SubElement(root, singular(resource)), fields)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + tostring(root, encoding="utf-8", xml_declaration=False)
