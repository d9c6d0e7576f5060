from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.feeds import PrivateFeed
from practices.models import Standard, StandardRevision


class StandardsFeed(Feed):
    """New and revised standards, newest first: one entry per published revision."""

    feed_type = Atom1Feed
    title = gettext_lazy("Service standards: new and revised")
    subtitle = gettext_lazy("Each entry is a standard published or revised in the library.")
    link = reverse_lazy("practices:library")

    def items(self):
        return (
            StandardRevision.objects.exclude(standard__status=Standard.Status.DRAFT)
            .select_related("standard", "editor")
            .order_by("-created_at", "-pk")[:30]
        )

    def item_title(self, item: StandardRevision) -> str:
        if item.number == 1:
            return item.title
        return _("%(title)s (revision %(number)d)") % {"title": item.title, "number": item.number}

    def item_description(self, item: StandardRevision) -> str:
        return f"{item.summary} — {item.note}"

    def item_link(self, item: StandardRevision) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: StandardRevision):
        return item.created_at

    def item_updateddate(self, item: StandardRevision):
        return item.created_at

    def item_author_name(self, item: StandardRevision) -> str:
        return item.editor.name


class PrivateStandardsFeed(PrivateFeed, StandardsFeed):
    """The same feed at a person's private link, for feed readers that have no session (accounts/feeds.py)."""

    feed_name = "standards"
