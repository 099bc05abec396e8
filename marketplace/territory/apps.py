from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    """The Pays de Mormal itself: communes, relay points and the people who live there."""

    name = "marketplace.territory"
    label = "territory"
    verbose_name = "Territoire"
