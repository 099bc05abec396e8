"""The payment app's "chèque cadeau" at the door: the driver scans, Saleor's balance pays, once, never below zero."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from delivery.models import DeliveryTask
from marketplace.payments import actions as payments
from marketplace.payments import gift_card
from marketplace.payments.models import PaymentSession
from marketplace.saleor.models import StandInDocument
from marketplace.vouchers.error_codes import VoucherError
from marketplace.vouchers.error_codes import VoucherErrorCode as Code
from marketplace.vouchers.models import Voucher, VoucherSpend


def _total(order) -> Decimal:
    return Decimal(order.total_cents) / 100


def test_a_voucher_pays_part_of_the_order_and_the_cash_charge_takes_only_the_rest(saleor, cash_order, issue):
    # given a cash order of more than 5 € and a 5 € voucher
    order = cash_order(loaves=5)
    total = _total(order)
    assert total > 5
    voucher = issue("5")
    # when the driver scans it at the door (lower case, with a space: as typed on a phone)
    spent = gift_card.spend_at_door(saleor, f"{voucher.code[:6].lower()} {voucher.code[6:]}", order,
                                    timezone.now(), by="Chauffeur Van 1")
    # then 5 € were taken from the card in Saleor, and the driver reads what is left
    assert (spent.amount, spent.balance_after, spent.due_after) == (Decimal("5.00"), 0, total - 5)
    assert saleor.gift_cards.get(voucher.gift_card_id).current_balance.amount == 0
    assert "Reste à encaisser" in spent.sentence and "••••" + voucher.code[-4:] in spent.sentence
    # and the order shows a charged "chèque cadeau" transaction, the cash authorisation lowered to the rest
    txs = {t.psp_reference: t for t in saleor.orders.get(order.saleor_order_id).transactions}
    spend = VoucherSpend.objects.get()
    assert txs[spend.psp_reference].charged.amount == 5 and txs[spend.psp_reference].name == gift_card.TRANSACTION_NAME
    assert saleor.payments.get(order.transaction_id).authorized.amount == total - 5
    assert PaymentSession.objects.get(transaction_id=order.transaction_id).authorized == total - 5
    # when the cash is collected at delivery, Saleor charges only the rest and the order is fully paid
    payments.record_collection(order.transaction_id, timezone.now())
    assert payments.charge_collected(saleor, order.transaction_id).charged.amount == total - 5
    assert saleor.orders.get(order.saleor_order_id).charge_status == "FULL"


def test_the_same_scan_twice_is_one_debit(saleor, cash_order, issue):
    order = cash_order(loaves=2)
    voucher = issue("50")
    first = gift_card.spend_at_door(saleor, voucher.code, order, timezone.now())
    again = gift_card.spend_at_door(saleor, voucher.code, order, timezone.now())
    # the voucher covered the whole order once; the second scan only repeats the answer
    assert first.amount == _total(order) and first.due_after == 0 and not first.repeated
    assert again.repeated and again.amount == first.amount and again.sentence.startswith("Déjà enregistré")
    assert saleor.gift_cards.get(voucher.gift_card_id).current_balance.amount == 50 - _total(order)
    assert VoucherSpend.objects.count() == 1
    assert len([t for t in saleor.orders.get(order.saleor_order_id).transactions
                if t.name == gift_card.TRANSACTION_NAME]) == 1
    # nothing is left to collect: the stop shows 0 € to take, and the delivered stop charges nothing more
    assert saleor.payments.get(order.transaction_id).authorized.amount == 0
    assert saleor.orders.get(order.saleor_order_id).charge_status == "FULL"
    assert all(t.payment_cents == 0 for t in DeliveryTask.objects.filter(source=f"order:{order.saleor_order_id}"))


def test_a_second_order_gets_the_rest_of_the_balance_then_the_voucher_is_used_up(saleor, cash_order, issue):
    first_order, second_order, third_order = cash_order(1), cash_order(2), cash_order(1)
    voucher = issue(str(_total(first_order) + 1))
    gift_card.spend_at_door(saleor, voucher.code, first_order, timezone.now())
    rest = gift_card.spend_at_door(saleor, voucher.code, second_order, timezone.now())
    assert rest.amount == Decimal("1.00") and rest.balance_after == 0
    with pytest.raises(VoucherError) as used:
        gift_card.spend_at_door(saleor, voucher.code, third_order, timezone.now())
    assert used.value.code is Code.ALREADY_USED and "déjà été utilisé entièrement le" in str(used.value)


def _set(voucher, **fields):
    row = StandInDocument.objects.get(kind="GiftCard", sku=voucher.code)
    row.data.update(fields)
    row.save()


@pytest.mark.parametrize("case, code, sentence", [
    ("unknown", Code.UNKNOWN, "Aucun chèque cadeau ne porte le code « ABCD-0000-ZZZZ » : vérifiez chaque caractère."),
    ("expired", Code.EXPIRED, "a expiré le"),
    ("exhausted", Code.EXHAUSTED, "est épuisé : son solde est de 0,00 €."),
    ("inactive", Code.INACTIVE, "a été désactivé par l'équipe"),
])
def test_bad_codes_get_one_clear_french_sentence_and_nothing_is_taken(saleor, cash_order, issue, case, code,
                                                                      sentence):
    order = cash_order(1)
    voucher = issue("10")
    typed = voucher.code
    if case == "unknown":
        typed = "abcd-0000-zzzz"
    elif case == "expired":  # its last day was yesterday (Saleor's UTC date)
        _set(voucher, expiryDate=(timezone.now().astimezone(dt.UTC).date() - dt.timedelta(days=1)).isoformat())
    elif case == "exhausted":  # spent online, not at our door
        _set(voucher, currentBalance="0")
    else:
        _set(voucher, isActive=False)
    with pytest.raises(VoucherError) as refused:
        gift_card.spend_at_door(saleor, typed, order, timezone.now())
    assert refused.value.code is code and sentence in str(refused.value)
    assert not VoucherSpend.objects.exists()
    assert saleor.payments.get(order.transaction_id).authorized.amount == _total(order)


@pytest.mark.django_db(transaction=True)
def test_two_phones_scanning_one_voucher_at_once_never_take_more_than_its_balance(saleor, cash_order, issue):
    # given a 10 € voucher and two orders of more than 10 € each, at two doors
    orders = [cash_order(9), cash_order(9)]
    assert all(_total(o) > 10 for o in orders)
    voucher = issue("10")
    start = threading.Barrier(2)
    results: dict[int, object] = {}

    def scan(i: int) -> None:
        try:
            start.wait()
            results[i] = gift_card.spend_at_door(saleor, voucher.code, orders[i], timezone.now(), by=f"tel-{i}")
        except VoucherError as exc:
            results[i] = exc
        finally:
            connection.close()

    # when both phones send the scan at the same moment (two threads, two database connections)
    threads = [threading.Thread(target=scan, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    # then one took the 10 €, the other was told the voucher is used up; the card is at 0, not below
    spends = [r for r in results.values() if isinstance(r, gift_card.DoorSpend)]
    refusals = [r for r in results.values() if isinstance(r, VoucherError)]
    assert len(spends) == 1 and spends[0].amount == 10 and spends[0].balance_after == 0
    assert len(refusals) == 1 and refusals[0].code is Code.ALREADY_USED
    assert saleor.gift_cards.get(voucher.gift_card_id).current_balance.amount == 0
    assert list(VoucherSpend.objects.values_list("amount", flat=True)) == [Decimal("10.00")]
    assert Voucher.objects.get(pk=voucher.pk).balance == 0


def test_when_saleor_fails_after_the_debit_the_order_side_is_finished_later(saleor, cash_order, issue, monkeypatch):
    from marketplace.saleor.errors import SaleorNetworkError

    order = cash_order(loaves=4)
    voucher = issue("5")
    queued = []
    real = saleor.payments.record_charged

    def down(*args, **kwargs):
        raise SaleorNetworkError("Saleor unreachable")

    monkeypatch.setattr(saleor.payments, "record_charged", down)
    monkeypatch.setattr(gift_card.record_spend_task, "delay", queued.append)
    # the card is debited and the driver is told so, while the order's side waits for a retry
    spent = gift_card.spend_at_door(saleor, voucher.code, order, timezone.now())
    spend = VoucherSpend.objects.get()
    assert spent.amount == 5 and spend.recorded_at is None and queued == [spend.pk]
    # when Saleor is back, the retried step records it once, and a second run changes nothing
    monkeypatch.setattr(saleor.payments, "record_charged", real)
    for _ in range(2):
        gift_card.record_on_order(saleor, VoucherSpend.objects.get(), order)
    names = [t.name for t in saleor.orders.get(order.saleor_order_id).transactions]
    assert names.count(gift_card.TRANSACTION_NAME) == 1
    assert saleor.payments.get(order.transaction_id).authorized.amount == _total(order) - 5
