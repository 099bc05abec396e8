from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    """The territory's indicators: facts recorded as the platform works, charts, annual report."""

    name = "marketplace.indicators"
    label = "indicators"
    verbose_name = "Indicateurs"
