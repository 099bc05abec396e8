"""PrestaShop list queries for the Webservice double: filter values and their comparison."""

from __future__ import annotations

import re
from typing import Any


def parse_filter(spec: str) -> tuple[str, list[str]]:
    """Return (operator, operands) for a PrestaShop filter value."""
    for op, pattern in (("!", r"^!\[(.*)\]$"), (">", r"^>\[(.*)\]$"), ("<", r"^<\[(.*)\]$"),
                        ("contains", r"^%\[(.*)\]%$"), ("begins", r"^\[(.*)\]%$"), ("ends", r"^%\[(.*)\]$")):
        m = re.match(pattern, spec)
        if m:
            return op, [m.group(1)]
    m = re.match(r"^\[(.*)\]$", spec)
    if not m:
        raise ValueError(spec)
    inner = m.group(1)
    if "|" in inner:
        return "in", inner.split("|")
    if "," in inner:
        return "range", inner.split(",", 1)
    return "eq", [inner]


def _cmp_key(text: str) -> Any:
    try:
        return (0, float(text))
    except ValueError:
        return (1, text)


def matcher(spec: str):
    """Compile a filter value once into a predicate on the field's text (raises ValueError)."""
    op, args = parse_filter(spec)
    wanted = args[0].lower()
    if op == "in":
        allowed = set(args)
        return lambda value: value in allowed
    if op == "range":
        low, high = _cmp_key(args[0]), _cmp_key(args[1])
        return lambda value: low <= _cmp_key(value) <= high
    if op in (">", "<"):
        bound = _cmp_key(args[0])
        return (lambda value: _cmp_key(value) > bound) if op == ">" else (lambda value: _cmp_key(value) < bound)
    tests = {"eq": lambda v: v == wanted, "!": lambda v: v != wanted, "begins": lambda v: v.startswith(wanted),
             "ends": lambda v: v.endswith(wanted), "contains": lambda v: wanted in v}
    test = tests[op]
    return lambda value: test(value.lower())


def field_text(record: dict[str, Any], name: str) -> str:
    raw = record.get(name, "")
    return raw[0]["value"] if isinstance(raw, list) and raw else str(raw)
