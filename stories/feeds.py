"""The stories feed in Atom, with the feed page's filters, at a person's private link (accounts/feeds.py)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from accounts.feeds import PrivateFeed
from stories.forms import FeedFilterForm
from stories.models import Story
from stories.pages import excerpt
from stories.views import feed_stories

FEED_ITEMS = 30


class PrivateStoriesFeed(PrivateFeed, Feed):
    """The feed's stories for the filters in the query string (sort, period, kind, pillar, store, region, tag, q)."""

    feed_type = Atom1Feed
    feed_name = "stories"

    def get_object(self, request, token: str) -> dict:
        # A per-request object (the Feed instance is shared by every request): the filters and the query string.
        return {"filters": FeedFilterForm(request.GET).filters(), "query": request.GET.urlencode()}

    def title(self, obj: dict) -> str:
        return _("Stories from the network")

    def subtitle(self, obj: dict) -> str:
        return _("The stories of the feed, with the filters of this link.")

    def link(self, obj: dict) -> str:
        return reverse("stories:feed") + (f"?{obj['query']}" if obj["query"] else "")

    def items(self, obj: dict):
        # The feed page's own query: the same filters, the same order.
        return feed_stories(obj["filters"]).select_related("author", "store")[:FEED_ITEMS]

    def item_title(self, item: Story) -> str:
        return item.title

    def item_description(self, item: Story) -> str:
        return excerpt(item.body, 400)

    def item_link(self, item: Story) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Story):
        return item.published_at

    def item_updateddate(self, item: Story):
        return item.updated_at

    def item_author_name(self, item: Story) -> str:
        return f"{item.author.name}, {item.store.name}" if item.store else item.author.name

    def item_categories(self, item: Story) -> list[str]:
        return [str(item.get_kind_display())]
