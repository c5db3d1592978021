from django.db import migrations

from core.roles import sync_group_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("terminations", "0001_initial"),
        ("partners", "0002_groups"),
    ]

    operations = [migrations.RunPython(sync_group_permissions, migrations.RunPython.noop)]
