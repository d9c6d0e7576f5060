import django.contrib.postgres.search
from django.db import migrations

from config.migration_helpers import run_on_postgresql

# PostgreSQL only, as for stories (stories/migrations/0006): a stored, indexed
# vector replaces the two expression indexes of 0003.
FORWARD = [
    "DROP INDEX IF EXISTS standard_search_fr_idx, standard_search_en_idx",
    "UPDATE practices_standard SET search_vector = to_tsvector('french'::regconfig, COALESCE(search_document, '')) "
    "|| to_tsvector('english'::regconfig, COALESCE(search_document, ''))",
    "CREATE INDEX IF NOT EXISTS standard_search_vector_idx ON practices_standard USING gin (search_vector)",
]
BACKWARD = ["DROP INDEX IF EXISTS standard_search_vector_idx"]


class Migration(migrations.Migration):
    dependencies = [("practices", "0004_roles"), ("stories", "0006_story_search_vector")]

    operations = [
        migrations.AddField(
            model_name="standard",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
