"""A cycle's delivery days follow the van's one calendar: cut-off, van days, public holidays."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from delivery import calendar
from shortcircuit import actions, selectors
from shortcircuit.models import CyclePickup, OrderCycle


def _move(cycle, day: dt.date, closes_at: dt.datetime) -> OrderCycle:
    OrderCycle.objects.filter(pk=cycle.pk).update(opens_at=closes_at - dt.timedelta(days=3), closes_at=closes_at,
                                                  home_delivery_on=day)
    CyclePickup.objects.filter(cycle=cycle).update(ready_on=day)
    return OrderCycle.objects.get(pk=cycle.pk)


def test_a_cycle_closing_after_its_delivery_days_cut_off_is_refused_and_listed(cycle, settings):
    # given a cycle delivering on a van day, closing at 20:00 the evening before (cut-off 18:00)
    settings.ORDER_CUTOFF = "18:00"
    day = calendar.next_van_day(timezone.localdate() + dt.timedelta(days=5))
    late = _move(cycle, day, timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=1), dt.time(20, 0))))

    # then each of its delivery days is a problem: the van tasks would reach a frozen day
    problems = selectors.calendar_problems(late)
    assert len(problems) == 3 and all("après la limite" in p for p in problems)
    with pytest.raises(ValidationError) as refused:
        late.full_clean()
    assert "home_delivery_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused_pickup:
        late.pickups.first().full_clean()
    assert "ready_on" in refused_pickup.value.message_dict

    # and closing at the cut-off itself is fine
    on_time = _move(cycle, day, calendar.order_cutoff(day))
    assert selectors.calendar_problems(on_time) == []
    on_time.full_clean()


def test_copying_a_cycle_onto_a_public_holiday_says_so(cycle, settings):
    # given a cycle delivering the week before Bastille Day 2027 (a Wednesday)
    settings.ORDER_CUTOFF = "18:00"
    holiday = dt.date(2027, 7, 14)
    week_before = holiday - dt.timedelta(days=7)
    _move(cycle, week_before, calendar.order_cutoff(week_before) - dt.timedelta(hours=2))

    copy = actions.copy_cycle(OrderCycle.objects.get(pk=cycle.pk))

    assert copy.home_delivery_on == holiday
    assert any("jour férié" in p for p in selectors.calendar_problems(copy))
