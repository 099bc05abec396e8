"""Other apps create delivery tasks through one idempotent action."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from delivery.actions import upsert_tasks
from delivery.error_codes import DeliveryErrorCode
from delivery.models import DeliveryTask


def test_upserting_the_same_specs_twice_creates_each_task_once(day, specs):
    first = upsert_tasks(day, specs)
    second = upsert_tasks(day, specs)

    assert DeliveryTask.objects.count() == len(specs) == 7
    assert [t.pk for t in first] == [t.pk for t in second]


def test_upsert_updates_a_planned_task_but_never_a_served_one(day, specs):
    [task] = upsert_tasks(day, specs[1:2])
    upsert_tasks(day, [dataclasses.replace(specs[1], doorstep_notes="Boîte à clés 1944")])
    task.refresh_from_db()
    assert task.doorstep_notes == "Boîte à clés 1944"

    task.status = DeliveryTask.Status.DELIVERED
    task.save()
    upsert_tasks(day, [dataclasses.replace(specs[1], doorstep_notes="changé après coup")])
    task.refresh_from_db()
    assert task.doorstep_notes == "Boîte à clés 1944"


def test_a_bad_spec_names_its_source_and_writes_nothing(day, specs):
    bad = dataclasses.replace(specs[2], windows=((12 * 3600, 9 * 3600),))

    with pytest.raises(ValidationError, match="test:home:1"):
        upsert_tasks(day, [specs[0], bad])

    assert DeliveryTask.objects.count() == 0


def test_after_the_cut_off_only_urgent_tasks_are_added(day, specs):
    day.frozen_at = timezone.now()
    day.save()

    with pytest.raises(ValidationError, match="close aux nouvelles tâches") as refused:
        upsert_tasks(day, specs[1:2])
    assert refused.value.code == DeliveryErrorCode.DAY_FROZEN
    upsert_tasks(day, [dataclasses.replace(specs[1], urgent=True)])

    assert DeliveryTask.objects.get().urgent
