"""Django app for the van delivery: tasks, stored plans, route sheets and the driver's phone view."""

from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """The ``delivery`` app (the pure routing core lives in ``delivery.routing``)."""

    name = "delivery"
    label = "delivery"
    verbose_name = "Livraison"
    default_auto_field = "django.db.models.BigAutoField"
