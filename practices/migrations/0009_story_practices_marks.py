"""Fill the new columns of stories with what practices knows: referent authors, and the standard each story inspired."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def fill(apps, schema_editor) -> None:
    Story = apps.get_model("stories", "Story")
    Referent = apps.get_model("practices", "Referent")
    Promotion = apps.get_model("practices", "Promotion")
    Story.objects.update(author_is_referent=Exists(Referent.objects.filter(person_id=OuterRef("author_id"))))
    for promotion in Promotion.objects.select_related("standard").iterator():
        standard = promotion.standard
        Story.objects.filter(pk=promotion.story_id).update(
            standard_title=standard.title, standard_slug=standard.slug, standard_status=standard.status
        )


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0008_digest_deliveries"),
        ("stories", "0008_story_practices_marks"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
