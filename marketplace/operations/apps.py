from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the day: the dead-letter list of jobs that gave up, and reminders to vendors."""

    name = "marketplace.operations"
    label = "operations"
    verbose_name = "Exploitation"

    def ready(self) -> None:
        """Record every Celery task that fails for good."""
        from celery.signals import task_failure

        from .deadletters import record_failure

        task_failure.connect(record_failure, weak=False, dispatch_uid="operations.record_failure")
