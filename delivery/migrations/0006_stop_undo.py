"""The driver's undo of a mistaken tap on the phone (delivery.undo)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("delivery", "0005_cancellation"),
    ]

    operations = [
        migrations.CreateModel(
            name="StopUndo",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("uuid", models.UUIDField(unique=True)),
                ("occurred_at", models.DateTimeField(help_text="Time on the phone when the driver tapped Annuler.")),
                ("received_at", models.DateTimeField(auto_now_add=True)),
                ("told", models.CharField(blank=True, max_length=200)),
                ("event", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="undo",
                                               to="delivery.stopevent")),
            ],
        ),
    ]
