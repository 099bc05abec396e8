"""One cut-off and one service calendar: the storefront, staff moves and the evening freeze agree."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import formats, timezone

from delivery import calendar
from delivery.actions import upsert_tasks
from delivery.error_codes import DeliveryErrorCode
from delivery.models import DeliveryDay, ServiceArea
from delivery.tasks import freeze_next_day


def local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def test_orders_for_a_day_close_at_the_cut_off_the_day_before(settings):
    settings.ORDER_CUTOFF = "18:00"
    day = dt.date(2030, 3, 12)
    assert calendar.is_open_for_orders(day, local(2030, 3, 11, 17, 59))
    assert not calendar.is_open_for_orders(day, local(2030, 3, 11, 18, 0))
    assert calendar.first_open_day(local(2030, 3, 11, 17, 59)) == day
    assert calendar.first_open_day(local(2030, 3, 11, 18, 0)) == day + dt.timedelta(days=1)


def test_the_cut_off_holds_in_local_time_across_the_spring_clock_change(settings):
    # Sunday 28 March 2027: clocks go from 02:00 to 03:00 in Paris; 18:00 stays 18:00 local
    settings.ORDER_CUTOFF = "18:00"
    cutoff = calendar.order_cutoff(dt.date(2027, 3, 29))
    assert timezone.localtime(cutoff).hour == 18
    assert cutoff.utcoffset() == dt.timedelta(hours=2)
    assert calendar.order_cutoff(dt.date(2027, 3, 28)).utcoffset() == dt.timedelta(hours=1)


def test_a_malformed_cut_off_setting_is_refused_by_name(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.ORDER_CUTOFF = "18h"
    with pytest.raises(ImproperlyConfigured, match="ORDER_CUTOFF"):
        calendar.order_cutoff(dt.date(2030, 3, 12))


def test_easter_and_the_public_holidays_that_follow_it():
    assert calendar.easter_sunday(2026) == dt.date(2026, 4, 5)
    assert calendar.easter_sunday(2027) == dt.date(2027, 3, 28)
    holidays = calendar.public_holidays(2027)
    assert len(holidays) == 11
    assert {dt.date(2027, 3, 29), dt.date(2027, 5, 6), dt.date(2027, 5, 17)} <= holidays  # Easter Mon., Ascension, Whit Mon.
    assert {dt.date(2027, 7, 14), dt.date(2027, 11, 11), dt.date(2027, 12, 25)} <= holidays


def test_the_van_runs_monday_to_saturday_except_public_holidays():
    assert calendar.van_runs_on(dt.date(2027, 3, 27))  # Saturday
    assert not calendar.van_runs_on(dt.date(2027, 3, 28))  # Sunday (Easter)
    assert not calendar.van_runs_on(dt.date(2027, 3, 29))  # Easter Monday
    assert calendar.next_van_day(dt.date(2027, 3, 27)) == dt.date(2027, 3, 30)
    assert calendar.closed_reason(dt.date(2027, 3, 29)) == "jour férié"


def test_service_days_skip_public_holidays(communes):
    bavay = communes.get(name="Bavay")
    area = ServiceArea.objects.create(name="Bavay le lundi", weekday=1)
    area.communes.add(bavay)
    # Saturday 20 March 2027: the Mondays ahead are the 22nd, the 29th (Easter Monday) and 5 April
    days = [day for day, _ in calendar.service_days(bavay, local(2027, 3, 20, 10, 0), horizon=21)]
    assert days == [dt.date(2027, 3, 22), dt.date(2027, 4, 5)]
    assert calendar.serves(bavay, dt.date(2027, 3, 22)) and not calendar.serves(bavay, dt.date(2027, 3, 29))


def test_a_later_cut_off_moves_the_storefront_and_the_evening_freeze_together(settings, day, specs):
    # given orders for tomorrow taken until 20:00 (the freeze used its own 18:00 before)
    settings.ORDER_CUTOFF = "20:00"
    upsert_tasks(day, specs)
    eve = day.date - dt.timedelta(days=1)

    # at 19:00 the storefront still sells tomorrow, so tomorrow is not frozen
    at_seven = local(eve.year, eve.month, eve.day, 19, 0)
    assert calendar.first_open_day(at_seven) == day.date
    assert freeze_next_day(at_seven) is None
    day.refresh_from_db()
    assert day.frozen_at is None
    upsert_tasks(day, specs[:1])  # an order placed at 19:00 still reaches the van

    # at 20:00 both move on: the storefront sells the day after, and tomorrow freezes once
    at_eight = local(eve.year, eve.month, eve.day, 20, 0)
    assert calendar.first_open_day(at_eight) == day.date + dt.timedelta(days=1)
    assert freeze_next_day(at_eight) == day
    assert freeze_next_day(at_eight) is None
    assert DeliveryDay.objects.get(pk=day.pk).frozen_at == at_eight


def test_a_staff_move_to_a_day_without_the_van_is_refused_with_the_next_van_day(day, specs):
    from delivery.moves import move_to_day

    [task] = upsert_tasks(day, specs[2:3])
    sunday = day.date + dt.timedelta(days=(7 - day.date.isoweekday()) % 7 or 7)
    with pytest.raises(ValidationError) as refused:
        move_to_day(task, sunday, today=day.date - dt.timedelta(days=1))
    assert refused.value.code == DeliveryErrorCode.NO_VAN
    assert formats.date_format(calendar.next_van_day(sunday), "l j F Y") in refused.value.messages[0]
    task.refresh_from_db()
    assert task.day_id == day.pk
