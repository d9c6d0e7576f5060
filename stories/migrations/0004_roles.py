from django.db import migrations

from accounts.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("stories", "0003_reactions")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
