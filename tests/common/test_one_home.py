"""Each house rule lives in one module (README, "Where the rules live"); these scans fail on a second copy.

Money is turned into cents, rounded and printed only by ``common/money.py``; the order cut-off
has one default (settings); the Earth has one radius; the cold chain's limits and labels are
``delivery/coldchain.py``'s.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("common", "marketplace", "delivery", "shortcircuit", "integrations")


def _sources():
    for top in APPS:
        for path in (ROOT / top).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def _hits(pattern: str, allowed: set[str]) -> list[str]:
    found = []
    for name, text in _sources():
        if name in allowed:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if re.search(pattern, line) and "# noqa" not in line:
                found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_money_is_converted_and_rounded_only_in_the_money_module():
    # int(x * 100) truncates (19.99 -> 1998); /100 with a float format is a second euro printer
    assert not _hits(r"int\([^)]*\*\s*100\)", {"common/money.py"})
    assert not _hits(r"ROUND_HALF_EVEN|ROUND_DOWN|ROUND_FLOOR", set())
    assert not _hits(r"/\s*100\s*:\s*\.2f", set())
    assert not _hits(r"\bround\([^)]*(price|amount|total|euros|cents)", {"common/money.py"})


def test_the_order_cut_off_has_one_default():
    # a default written as a value (``= "18:00"``, ``get(..., "18:00")``, ``or "18:00"``); the seeded
    # shops' opening hours are not the cut-off
    assert not _hits(r"(=|,|\bor)\s*[\"']18:00[\"']", {"marketplace/settings.py", "marketplace/vendors/seed_data.py"})
    assert not _hits(r"CUT_?OFF_HOUR|ORDER_CUTOFF\s*=", {"marketplace/settings.py"})


def test_the_earth_has_one_radius():
    assert not _hits(r"\b6_?37[018]_?\d{3}", {"delivery/routing/straightline.py"})
    assert not _hits(r"def (haversine|great_circle)", {"delivery/routing/straightline.py"})


def test_cold_chain_limits_and_labels_live_in_coldchain():
    allowed = {"delivery/coldchain.py"}
    assert not _hits(r"MAX_IN_VAN_S\s*=\s*\{\s*[\"']", allowed)
    assert not _hits(r"\d\s*\*\s*3600\b.*(chilled|frozen|CHILLED|FROZEN)|(chilled|frozen|CHILLED|FROZEN).*\d\s*\*\s*3600\b", allowed)
    assert not _hits(r"[\"']Surgel[ée]\s*(\(|[\"'])", allowed)  # a label, not a product description
