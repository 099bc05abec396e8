"""ServiceArea now belongs to the delivery app (same table): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('storefront', '0002_shoporder_collected_at_shoporder_transaction_id'),
        ('delivery', '0003_servicearea_from_storefront'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='slotpattern',
                    name='area',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='patterns', to='delivery.servicearea'),
                ),
                migrations.DeleteModel(name='ServiceArea'),
            ],
            database_operations=[],
        ),
    ]
