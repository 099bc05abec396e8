"""The admin speaks French: every field of our models registered in the admin has a French label.

A field declared without ``verbose_name`` gets Django's automatic label, its attribute name with
spaces ("created at", "token hash", "ps date upd"): this scan fails on any such field, naming it.
Django keeps what the declaration said in ``Field._verbose_name`` (None when it said nothing).
"""

from django.contrib import admin

OUR_PACKAGES = ("marketplace.", "delivery.", "shortcircuit.", "integrations.", "common.")


def _admin_fields():
    for model in admin.site._registry:
        if not model.__module__.startswith(OUR_PACKAGES):
            continue
        for field in model._meta.get_fields():
            if field.auto_created and not field.concrete:  # reverse relations, shown under the other model
                continue
            if getattr(field, "primary_key", False) and field.auto_created:  # the automatic id
                continue
            yield model, field


def test_every_field_of_a_registered_model_has_a_french_label():
    automatic = [f"{model._meta.label}.{field.name}" for model, field in _admin_fields()
                 if getattr(field, "_verbose_name", "") is None]
    assert automatic == [], f"fields showing Django's automatic English label in the admin: {automatic}"


def test_the_scan_sees_the_models_of_every_app():
    apps = {model._meta.app_label for model, _ in _admin_fields()}
    assert {"vendors", "territory", "delivery", "shortcircuit", "prestashop", "payments", "saleor_app"} <= apps
