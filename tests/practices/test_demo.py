import pytest
from django.core.management import call_command

from accounts.models import Notification
from practices.models import Promotion, Standard, StandardRevision
from stories.models import Story

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "standards": Standard.objects.count(),
        "revisions": StandardRevision.objects.count(),
        "promotions": Promotion.objects.count(),
        "stories": Story.objects.count(),
        "notifications": Notification.objects.filter(kind=Notification.Kind.PROMOTED).count(),
    }


class SeedDemoTests:
    def test_it_fills_the_library_and_running_it_again_duplicates_nothing(self):
        call_command("seed_demo", verbosity=0)
        first = counts()
        assert first["standards"] == 12
        assert Standard.objects.filter(status=Standard.Status.RETIRED).count() >= 1
        assert Standard.objects.due_for_review().count() >= 1
        assert Standard.objects.filter(revision__gte=2).exists()
        assert not Standard.objects.filter(status=Standard.Status.DRAFT).exists()
        for standard in Standard.objects.all():
            assert standard.promotions.exists(), f"{standard} credits no story"
        authors = set(Promotion.objects.values_list("story__author", flat=True))
        notified = set(Notification.objects.filter(kind="promoted").values_list("recipient", flat=True))
        assert authors - {None} and notified <= authors
        call_command("seed_demo", verbosity=0)
        assert counts() == first

    def test_the_demo_library_is_searchable_and_readable(self, client):
        call_command("seed_demo", verbosity=0)
        client.force_login(Promotion.objects.first().story.author)
        library = client.get("/library/", {"q": "parapluie"})
        assert library.context["standards"][0].title == "Prêter un parapluie les jours d'averse"
        for standard in Standard.objects.prefetch_related("promotions__story__author"):
            page = client.get(standard.get_absolute_url()).content.decode()
            for promotion in standard.promotions.all():
                author = promotion.story.author
                assert f'<a href="/people/{author.username}/">{author.name}</a>' in page
        assert client.get("/library/archive/").context["standards"]
