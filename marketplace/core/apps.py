from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting platform pieces: health check, base layout, context."""

    name = "marketplace.core"
    label = "core"

    def ready(self) -> None:
        """Register the deployment checks."""
        from marketplace.core import checks  # noqa: F401
