"""ServiceArea moves from the storefront app to delivery (the van's calendar): state only.

The table (``storefront_servicearea``) and its communes table keep their names and rows; only
Django's idea of which app owns the model changes.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('delivery', '0002_deliverytask_moved_by_staff'),
        ('storefront', '0002_shoporder_collected_at_shoporder_transaction_id'),
        ('territory', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ServiceArea',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120)),
                        ('weekday', models.PositiveSmallIntegerField(choices=[(1, 'lundi'), (2, 'mardi'), (3, 'mercredi'), (4, 'jeudi'), (5, 'vendredi'), (6, 'samedi'), (7, 'dimanche')])),
                        ('communes', models.ManyToManyField(related_name='service_areas', to='territory.commune')),
                    ],
                    options={
                        'db_table': 'storefront_servicearea',
                        'ordering': ['weekday', 'name'],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
