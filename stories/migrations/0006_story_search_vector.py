import django.contrib.postgres.search
from django.db import migrations

from config.migration_helpers import run_on_postgresql

# PostgreSQL only: a stored vector, so neither the index check nor ranking
# recomputes to_tsvector for every matching row (a second or more on 100,000
# stories); it replaces the two expression indexes of 0005.
FORWARD = [
    "DROP INDEX IF EXISTS story_search_fr_idx, story_search_en_idx",
    "UPDATE stories_story SET search_vector = to_tsvector('french'::regconfig, COALESCE(search_document, '')) "
    "|| to_tsvector('english'::regconfig, COALESCE(search_document, ''))",
    "CREATE INDEX IF NOT EXISTS story_search_vector_idx ON stories_story USING gin (search_vector)",
]
BACKWARD = ["DROP INDEX IF EXISTS story_search_vector_idx"]


class Migration(migrations.Migration):
    dependencies = [("stories", "0005_story_search_document")]

    operations = [
        migrations.AddField(
            model_name="story",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
