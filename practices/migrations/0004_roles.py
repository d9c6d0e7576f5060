from django.db import migrations

from accounts.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("practices", "0003_standards_and_promotions")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
