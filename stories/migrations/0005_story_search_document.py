import re

from django.db import migrations, models

from config.migration_helpers import run_on_postgresql
from config.text import search_text

# PostgreSQL only: full-text indexes (French and English stemming) on the
# accent-free document, written exactly as practices/search.py queries it, and a
# trigram index on the lexicon of words for spelling tolerance.
INDEXES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS story_search_fr_idx ON stories_story "
    "USING gin (to_tsvector('french'::regconfig, COALESCE(search_document, ''::text)))",
    "CREATE INDEX IF NOT EXISTS story_search_en_idx ON stories_story "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(search_document, ''::text)))",
    "CREATE INDEX IF NOT EXISTS searchword_trgm_idx ON stories_searchword USING gin (word gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS story_search_fr_idx, story_search_en_idx, searchword_trgm_idx"]
BATCH = 2000


def fill_documents(apps, schema_editor):
    Story = apps.get_model("stories", "Story")
    SearchWord = apps.get_model("stories", "SearchWord")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="stories", model="story").first()
    tags = {}
    if content_type:
        items = TaggedItem.objects.filter(content_type=content_type).values_list("object_id", "tag__name")
        for object_id, name in items:
            tags.setdefault(object_id, []).append(name)
    batch, words = [], set()
    for story in Story.objects.only("pk", "title", "body").iterator(chunk_size=BATCH):
        story.search_document = search_text(story.title, story.body, *tags.get(story.pk, []))
        words.update(word for word in re.findall(r"\w+", story.search_document) if 3 <= len(word) <= 40)
        batch.append(story)
        if len(batch) == BATCH:
            Story.objects.bulk_update(batch, ["search_document"])
            batch = []
    Story.objects.bulk_update(batch, ["search_document"])
    SearchWord.objects.bulk_create([SearchWord(word=word) for word in words], batch_size=BATCH, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0004_roles"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="story",
            name="search_document",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[("word", models.CharField(max_length=40, primary_key=True, serialize=False))],
            options={"verbose_name": "search word", "verbose_name_plural": "search words"},
        ),
        migrations.RunPython(fill_documents, migrations.RunPython.noop),
        migrations.RunPython(run_on_postgresql(INDEXES), run_on_postgresql(DROP)),
    ]
