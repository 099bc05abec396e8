"""Error codes are enums per domain (Saleor's ``CheckoutErrorCode`` way), with their French sentence in one place.

Each domain has one ``error_codes.py``: a ``StrEnum`` the raisers pass and the checkers compare,
and the one mapping from code to the sentence a person reads. No module raises with a bare
string code, and no other module keeps its own code constants or labels.
"""

import ast
import enum
from pathlib import Path

import pytest

from delivery import error_codes as delivery_codes
from delivery.routing import UnassignedReason
from marketplace.core import error_codes as field_codes
from marketplace.evaluation import error_codes as evaluation_codes
from marketplace.saleor import error_codes as dashboard_codes
from marketplace.storefront import error_codes as storefront_codes
from marketplace.vendors import error_codes as vendor_codes
from marketplace.vouchers import error_codes as voucher_codes
from shortcircuit import error_codes as shortcircuit_codes

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = [
    (storefront_codes, storefront_codes.StorefrontErrorCode),
    (shortcircuit_codes, shortcircuit_codes.ShortCircuitErrorCode),
    (delivery_codes, delivery_codes.DeliveryErrorCode),
    (vendor_codes, vendor_codes.VendorErrorCode),
    (field_codes, field_codes.InputErrorCode),
    (dashboard_codes, dashboard_codes.DashboardErrorCode),
    (evaluation_codes, evaluation_codes.EvaluationErrorCode),
    (voucher_codes, voucher_codes.VoucherErrorCode),
]
#: Exceptions whose ``code`` is ours (Saleor's and PrestaShop's own codes are theirs).
RAISED = {"ValidationError", "StorefrontError", "ShortCircuitError", "VoucherError", "error"}


@pytest.mark.parametrize("module, codes", DOMAINS, ids=lambda d: getattr(d, "__name__", ""))
def test_every_code_of_a_domain_has_one_french_sentence(module, codes):
    assert issubclass(codes, enum.StrEnum)
    assert set(module.MESSAGES) == set(codes), set(codes) ^ set(module.MESSAGES)
    assert all(m[0].isupper() or m[0] in "«{%" for m in module.MESSAGES.values())
    # the code value is what programs compare: lower case, unique
    assert all(c.value == c.name.lower() for c in codes)


def test_every_reason_the_planner_gives_has_a_french_label():
    from delivery import reasons

    assert set(UnassignedReason) <= set(reasons.REASONS_FR) and set(reasons.REASONS_FR) == set(reasons.ADVICE_FR)
    assert reasons.reason_fr("NO_ROOM") == "Plus de place dans les tournées de ce jour"


def test_a_raised_error_carries_its_enum_code_and_the_sentence_of_the_map():
    from marketplace.storefront.errors import StorefrontError
    from shortcircuit.errors import ShortCircuitError

    refused = StorefrontError(storefront_codes.StorefrontErrorCode.SLOT_NOT_SERVED)
    assert refused.code is storefront_codes.StorefrontErrorCode.SLOT_NOT_SERVED
    assert refused.messages == ["Ce créneau ne dessert pas votre commune."]
    full = ShortCircuitError(shortcircuit_codes.ShortCircuitErrorCode.SLOT_FULL, slot="mardi 9 h")
    assert str(full) == "Le créneau mardi 9 h est complet : choisissez-en un autre."
    frozen = delivery_codes.error(delivery_codes.DeliveryErrorCode.RELAY_FROZEN, name="Mme Leroy")
    assert frozen.code == "relay_frozen" and frozen.messages == [
        "« Mme Leroy » contient des surgelés : un point relais n'a pas de congélateur. "
        "Choisissez un nouveau passage à domicile."]
    siret = vendor_codes.error(vendor_codes.VendorErrorCode.SIRET_FORMAT, value="123")
    assert siret.messages == ["Le SIRET « 123 » doit comporter exactement 14 chiffres."]


def _modules():
    for top in ("marketplace", "delivery", "shortcircuit", "integrations"):
        for path in (ROOT / top).rglob("*.py"):
            if "migrations" in path.parts or path.is_relative_to(ROOT / "marketplace" / "saleor"):
                continue
            yield path


def test_no_module_raises_with_a_bare_string_code_or_keeps_its_own_code_constants():
    offenders = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name not in RAISED or (name == "error" and not isinstance(node.func, ast.Name)):
                    continue  # log.error(...) is not a raise
                code = next((k.value for k in node.keywords if k.arg == "code"), None)
                if name in {"StorefrontError", "ShortCircuitError", "VoucherError", "error"} and node.args:
                    code = node.args[0]
                if isinstance(code, ast.Constant) and isinstance(code.value, str):
                    offenders.append(f"{where}:{node.lineno} code={code.value!r}")
        for node in tree.body:  # module-level CODE = "code" constants, the old third style
            if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id.isupper() and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str) and node.value.value == node.targets[0].id.lower()
                    and "_" in node.value.value):
                offenders.append(f"{where}:{node.lineno} {node.targets[0].id}")
    assert not offenders, offenders
