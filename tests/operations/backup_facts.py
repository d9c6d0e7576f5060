"""What a backup round trip must keep, as JSON: run in this process for the source, in a subprocess for the copy."""

import hashlib
import json

from django.core.files.storage import default_storage
from django.db import connection

from practices.backup import row_counts, stored_file_names
from practices.library.search import search
from practices.models import Standard
from stories.models import Story

QUERIES = ["parapluie", "cafe", "umbrella", "enfant"]


def facts() -> dict:
    photos = {}
    for name in stored_file_names():
        with default_storage.open(name, "rb") as stored:
            photos[name] = hashlib.sha256(stored.read()).hexdigest()
    results = {}
    for query in QUERIES:
        found = search(query, standards=Standard.objects.all(), stories=Story.objects.published())
        results[query] = [[s.pk for s in found.standards], [s.pk for s in found.stories]]
    return {
        "vendor": connection.vendor,
        "counts": row_counts(),
        "tags": {story.pk: sorted(story.tags.names()) for story in Story.objects.prefetch_related("tags")},
        "photos": photos,
        "search": results,
    }


if __name__ == "__main__":  # run by `manage.py shell -c`
    print(json.dumps(facts()))
