from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """The seed's evaluation beyond sales: satisfaction surveys and training sessions."""

    name = "marketplace.evaluation"
    label = "evaluation"
    verbose_name = "Évaluation"
