from django.db import migrations

# SQLite only (the embedded default): a full-text index of search_document that
# forgives accents, read by stories/search.py and kept in step by
# stories.models.update_search_vectors. A table of its own (not external
# content), so a rewrite of stories_story by a later migration cannot break it.
FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS story_fts USING fts5("
    "search_document, tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO story_fts (rowid, search_document) SELECT id, search_document FROM stories_story",
]
BACKWARD = ["DROP TABLE IF EXISTS story_fts"]


def run_on_sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("stories", "0008_story_practices_marks")]

    operations = [migrations.RunPython(run_on_sqlite(FORWARD), run_on_sqlite(BACKWARD))]
