"""Gift cards: the territory's vouchers ("chèques cadeaux") live in Saleor, which keeps their balance.

Saleor 3.23 (all need the App's ``MANAGE_GIFT_CARD`` permission):

- ``giftCardCreate`` / ``giftCardBulkCreate``: issue active cards with a balance, an expiry date
  (after today) and tags ("CCAS 2027", an employer; Saleor keeps them in lower case); Saleor
  draws each code, ``ABCD-EF12-3456`` (12 hex digits in groups of four, 3.23.28 as seen live);
- ``giftCard(id)`` and ``giftCards(filter: {code | tags})``: look a card up;
- ``giftCardBalanceAdjust(id, amount)`` (new in 3.23): add to or take from the current balance.
  A deduction larger than the balance is *clamped to zero*, not refused, so whoever takes money
  checks the balance first under a lock (``marketplace/vouchers/actions.py``);
- ``giftCardDeactivate(id)``: the card can no longer be used (its balance stays as it was); Saleor
  answers the card again when it is inactive already, so asking twice is harmless.

Spending online needs no call here: the code goes on the checkout with ``checkoutAddPromoCode``
(:meth:`CheckoutCalls.add_promo_code`) and Saleor takes the amount at ``checkoutComplete``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from common.money import round_cents
from marketplace.saleor import parsing as p
from marketplace.saleor.gateway.session import SaleorSession
from marketplace.saleor.values import GiftCard

CURRENCY = "EUR"


class GiftCardCalls:
    """Saleor gift cards (``saleor.gift_cards``)."""

    def __init__(self, session: SaleorSession):
        self._s = session

    def create(self, amount: Decimal, expiry_date: date | None = None, tags: Sequence[str] = (),
               metadata: Mapping[str, str] | None = None, note: str = "") -> GiftCard:
        """Issue one active card of ``amount`` euros.

        Raises
        ------
        SaleorValidationError
            ``INVALID`` for a past expiry date or a non-positive balance (``GiftCardErrorCode``).
        """
        input_: dict[str, Any] = {
            "balance": {"amount": str(round_cents(amount)), "currency": CURRENCY},
            "isActive": True,
            "expiryDate": expiry_date.isoformat() if expiry_date else None,
            "addTags": list(tags) or None,
            "note": note or None,
        }
        if metadata:
            input_["metadata"] = p.metadata_input(metadata)
        payload = self._s.mutate("gift_card_create", "giftCardCreate", input=input_)
        return p.gift_card(payload["giftCard"])

    def bulk_create(self, count: int, amount: Decimal, expiry_date: date | None = None,
                    tags: Sequence[str] = ()) -> list[GiftCard]:
        """Issue ``count`` active cards of ``amount`` euros each.

        Raises
        ------
        SaleorValidationError
            ``INVALID`` for a past expiry date, a count below 1 or a non-positive balance.
        """
        input_ = {
            "count": count,
            "balance": {"amount": str(round_cents(amount)), "currency": CURRENCY},
            "isActive": True,
            "expiryDate": expiry_date.isoformat() if expiry_date else None,
            "tags": list(tags) or None,
        }
        payload = self._s.mutate("gift_card_bulk_create", "giftCardBulkCreate", input=input_)
        return [p.gift_card(node) for node in payload.get("giftCards") or []]

    def get(self, gift_card_id: str) -> GiftCard | None:
        """The card, or None when the id is unknown."""
        node = self._s.run("gift_card", id=gift_card_id).get("giftCard")
        return p.gift_card(node) if node else None

    def find_by_code(self, code: str) -> GiftCard | None:
        """The card whose code is exactly ``code`` (Saleor compares it as typed), or None."""
        code = code.strip()
        if not code:
            return None
        data = self._s.run("gift_cards", filter={"code": code}, first=2)["giftCards"]
        nodes = [e["node"] for e in (data or {}).get("edges") or [] if e["node"]["code"] == code]
        return p.gift_card(nodes[0]) if nodes else None

    def find(self, tags: Sequence[str] = (), first: int = 100) -> list[GiftCard]:
        """Cards carrying any of ``tags`` (every card when empty), at most ``first``.

        Saleor stores tags in lower case and filters them exactly, so the tags are lowered here.
        """
        tags = [t.lower() for t in tags]
        found: list[GiftCard] = []
        after = None
        while len(found) < first:
            data = self._s.run("gift_cards", filter={"tags": list(tags)} if tags else None,
                               first=min(100, first - len(found)), after=after)["giftCards"]
            found.extend(p.gift_card(e["node"]) for e in data["edges"])
            if not data["pageInfo"]["hasNextPage"]:
                break
            after = data["pageInfo"]["endCursor"]
        return found

    def adjust_balance(self, gift_card_id: str, delta: Decimal) -> GiftCard:
        """Add ``delta`` euros to the balance (negative: take them), with ``giftCardBalanceAdjust``.

        Not sent twice after a lost answer (it adds, it does not set): the caller reads the
        balance back and decides (:class:`SaleorMutationUncertain` reaches it).

        Raises
        ------
        SaleorNotFoundError
            When the card does not exist.
        """
        payload = self._s.mutate("gift_card_balance_adjust", "giftCardBalanceAdjust", id=gift_card_id,
                                 amount=str(round_cents(delta)))
        return p.gift_card(payload["giftCard"])

    def deactivate(self, gift_card_id: str) -> GiftCard:
        """Make the card unusable (``giftCardDeactivate``); its balance is kept. Safe to repeat.

        Raises
        ------
        SaleorNotFoundError
            When the card does not exist.
        """
        payload = self._s.mutate("gift_card_deactivate", "giftCardDeactivate", id=gift_card_id)
        return p.gift_card(payload["giftCard"])
