"""Jobs that failed after their bounded retries, kept for staff; reminders already sent."""

from django.db import models


class DeadLetter(models.Model):
    """A Celery task that failed for good, with what is needed to run it again."""

    task_name = models.CharField(max_length=200)
    task_id = models.CharField(max_length=64, unique=True)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    exception = models.CharField(max_length=500)
    traceback = models.TextField(blank=True)
    failed_at = models.DateTimeField(auto_now_add=True)
    retried_as = models.CharField(max_length=64, blank=True, help_text="Task id of the manual retry.")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = "tâche en échec"
        verbose_name_plural = "tâches en échec"
        ordering = ["-failed_at"]

    def __str__(self) -> str:
        return f"{self.task_name} {self.task_id}"


class VendorReminder(models.Model):
    """One reminder e-mailed to a vendor for one delivery day (sent once)."""

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    orders = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rappel vendeur"
        verbose_name_plural = "rappels vendeurs"
        constraints = [models.UniqueConstraint(fields=["vendor", "date"], name="operations_one_reminder_per_day")]
