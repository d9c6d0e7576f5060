import math
import re
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import connections, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from accounts.models import Store
from config.text import search_text


class Pillar(models.Model):
    """One of the network's service behaviours, such as "Take charge"."""

    name = models.CharField(_("name (English)"), max_length=80, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=80, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.CharField(_("short description (English)"), max_length=240, blank=True)
    description_fr = models.CharField(_("short description (French)"), max_length=240, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if get_language() == "fr" and self.name_fr:
            return self.name_fr
        return self.name

    @property
    def summary(self) -> str:
        if get_language() == "fr" and self.description_fr:
            return self.description_fr
        return self.description


# Reddit's "hot" ranking (log10 of 1 + support, plus age in units of 12.5 hours):
# each tenfold increase in support is worth 12.5 hours of freshness, so a new
# story with a few votes overtakes an old one with many, and the score is a
# plain stored column that an index sorts. "Support" weighs breadth over
# volume: a store that tried the idea counts for 3 votes and every extra store
# among the voters for 2 more, so ten votes from one shop rank below five
# votes from five shops.
SEARCH_WORD_MIN, SEARCH_WORD_MAX = 3, 40


def update_search_vectors(queryset: models.QuerySet) -> int:
    """Set search_vector from search_document, French and English stemming together, in one UPDATE."""
    vendor = connections[queryset.db].vendor
    if vendor == "sqlite" and queryset.model is Story:
        return update_story_fts(queryset)
    if vendor != "postgresql":
        return 0
    document = SearchVector("search_document", config="french") + SearchVector("search_document", config="english")
    return queryset.update(search_vector=document)


def update_story_fts(queryset: models.QuerySet) -> int:
    """SQLite: copy these stories' search_document into the FTS5 table story_fts (migration 0009), rowid = pk."""
    pks = list(queryset.values_list("pk", flat=True))
    with connections[queryset.db].cursor() as cursor:
        for start in range(0, len(pks), 500):
            batch = pks[start : start + 500]
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(f"DELETE FROM story_fts WHERE rowid IN ({marks})", batch)  # noqa: S608 (only %s marks)
            cursor.execute(
                f"INSERT INTO story_fts (rowid, search_document) SELECT id, search_document "  # noqa: S608
                f"FROM stories_story WHERE id IN ({marks})",
                batch,
            )
    return len(pks)


# What a story card shows (stories.pages.draw_card), and the names a story page shows beside the
# story's own columns (stories.pages.body_values), in this order; tags come joined as
# "slug<TAG_PART>name<TAG_SEP>...". Written out: the ORM took about ten times longer to build this
# query than the database takes to run it, and the feed and story pages run it on every request.
CARD_SQL = """
SELECT s.id, s.kind, s.title, s.published_at, s.vote_count, s.comment_count, s.tried_count,
       s.author_id, u.username, u.display_name, u.first_name, u.last_name, s.author_is_referent,
       st.slug, st.name, r.name, p.slug, p.name, p.name_fr, SUBSTR(s.body, 1, %s),
       (SELECT {join_tags}(t.slug || %s || t.name, %s) FROM taggit_taggeditem ti
         JOIN taggit_tag t ON t.id = ti.tag_id WHERE ti.content_type_id = %s AND ti.object_id = s.id),
       (SELECT ph.id FROM stories_storyphoto ph WHERE ph.story_id = s.id ORDER BY ph.position, ph.id LIMIT 1),
       (SELECT ph.alt_text FROM stories_storyphoto ph WHERE ph.story_id = s.id ORDER BY ph.position, ph.id LIMIT 1),
       EXISTS(SELECT 1 FROM stories_vote v WHERE v.story_id = s.id AND v.user_id = %s),
       EXISTS(SELECT 1 FROM stories_comment c WHERE c.story_id = s.id)
FROM stories_story s
JOIN accounts_user u ON u.id = s.author_id
LEFT JOIN accounts_store st ON st.id = s.store_id
LEFT JOIN accounts_region r ON r.id = st.region_id
LEFT JOIN stories_pillar p ON p.id = s.pillar_id
WHERE s.id IN ({ids})
"""
EXCERPT_SOURCE_CHARS = 400  # cards show two lines of the story: its first characters are enough
TAG_PART, TAG_SEP = "\x1f", "\x1e"  # control characters: no tag can hold one (config.text)


CARD_COLUMNS = [
    *["pk", "kind", "title", "published_at", "vote_count", "comment_count", "tried_count", "author_id"],
    *["author_username", "author_display_name", "author_first_name", "author_last_name", "author_is_referent"],
    *["store_slug", "store_name", "region_name", "pillar_slug", "pillar_name", "pillar_name_fr", "body_start"],
    *["tags_joined", "cover_pk", "cover_alt", "user_voted", "has_discussion"],
]


def card_rows(ids: list[int], *, reader_id: int | None) -> list[dict]:
    """What the cards of these stories show (CARD_SQL's columns), in the order of `ids`: one query.

    `has_discussion`: whether the story has comments at all, hidden or not (most have none,
    and a story page then skips their query); a cover (`cover_pk`) tells it has photos.

    Plain values only, so a row is its card's cache key (stories.pages.card_fragments).
    """
    if not ids:
        return []
    connection = connections["default"]
    join_tags = "STRING_AGG" if connection.vendor == "postgresql" else "GROUP_CONCAT"
    sql = CARD_SQL.format(join_tags=join_tags, ids=", ".join(["%s"] * len(ids)))
    story_type = ContentType.objects.get_for_model(Story).pk  # Django keeps it in memory after the first read
    with connection.cursor() as cursor:
        cursor.execute(sql, [EXCERPT_SOURCE_CHARS, TAG_PART, TAG_SEP, story_type, reader_id, *ids])
        rows = {row[0]: dict(zip(CARD_COLUMNS, row, strict=True)) for row in cursor.fetchall()}
    if connection.vendor == "sqlite":  # SQLite gives text for times and 0/1 for booleans
        for row in rows.values():
            published_at = row["published_at"]
            published_at = datetime.fromisoformat(published_at) if isinstance(published_at, str) else published_at
            row["published_at"] = published_at.replace(tzinfo=UTC) if published_at.tzinfo is None else published_at
            for name in ("author_is_referent", "user_voted", "has_discussion"):
                row[name] = bool(row[name])
    return [rows[pk] for pk in ids if pk in rows]


HOT_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
HOT_SECONDS_PER_TENFOLD = 45_000
TRIED_WEIGHT = 3
EXTRA_STORE_WEIGHT = 2


def hot_score(*, votes: int, voter_stores: int, tried_stores: int, published_at: datetime) -> float:
    support = votes + EXTRA_STORE_WEIGHT * max(voter_stores - 1, 0) + TRIED_WEIGHT * tried_stores
    age_seconds = (published_at - HOT_EPOCH).total_seconds()
    return round(math.log10(1 + support) + age_seconds / HOT_SECONDS_PER_TENFOLD, 7)


class StoryQuerySet(models.QuerySet):
    def published(self):
        """Stories everyone may read."""
        return self.filter(status=Story.Status.PUBLISHED)

    def visible_to(self, user):
        """Published stories, plus hidden ones for their author and curators."""
        if user.has_perm("stories.moderate_story"):
            return self.exclude(status=Story.Status.DELETED)
        return self.filter(Q(status=Story.Status.PUBLISHED) | Q(status=Story.Status.HIDDEN, author=user))

    def update_search_vectors(self) -> int:
        """Recompute the stored full-text vectors of these stories (PostgreSQL; SQLite searches the text)."""
        return update_search_vectors(self)

    def ranked(self, sort: str):
        """Order by one of the feed's sorts: hot, new or top."""
        if sort == "new":
            return self.order_by("-published_at", "-pk")
        if sort == "top":
            return self.order_by("-vote_count", "-published_at", "-pk")
        return self.order_by("-hot_score", "-pk")


class Story(models.Model):
    class Kind(models.TextChoices):
        STORY = "story", _("Service story")
        ATTENTION = "attention", _("Petite attention")
        GUESTBOOK = "guestbook", _("Guestbook entry")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden by a curator")
        DELETED = "deleted", _("Deleted by its author")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stories", verbose_name=_("author")
    )
    store = models.ForeignKey(
        Store,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("store"),
        help_text=_("The author's store when posting; for a guestbook entry, the store whose guestbook it is."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.STORY)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    body_html = models.TextField(editable=False)
    pillar = models.ForeignKey(
        Pillar, on_delete=models.SET_NULL, null=True, blank=True, related_name="stories", verbose_name=_("pillar")
    )
    tags = TaggableManager(_("tags"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    # Counters the feed sorts and shows; kept exact by services.py (F() updates or
    # recounts in the transaction that writes the rows they count).
    vote_count = models.PositiveIntegerField(default=0, editable=False)
    voter_store_count = models.PositiveIntegerField(default=0, editable=False)
    tried_count = models.PositiveIntegerField(default=0, editable=False)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    # What the story's pages show about practices, kept here by practices' services (stories never
    # reads practices' tables): whether the author is a referent, and the standard the story inspired.
    author_is_referent = models.BooleanField(default=False, editable=False)
    standard_title = models.CharField(max_length=120, blank=True, editable=False)
    standard_slug = models.SlugField(max_length=140, blank=True, editable=False)
    standard_status = models.CharField(max_length=10, blank=True, editable=False)
    # The customers' words linked to the story as evidence, latest first (a few), as plain values:
    # {"source", "date" (ISO), "store", "text"}. Kept here by practices.voice.services.
    customer_words = models.JSONField(default=list, blank=True, editable=False)
    hot_score = models.FloatField(default=0, editable=False)
    # Title, text and tags, lower-cased without accents: what search reads (practices/library/search.py).
    search_document = models.TextField(editable=False, blank=True, default="")
    # On PostgreSQL, search_document as French and English lexemes, indexed (GIN); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    # The key the author's device gave an offline draft (static/js/drafts.js): a draft sent twice is one story.
    draft_key = models.UUIDField(null=True, blank=True, editable=False)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        permissions = [("moderate_story", _("Can edit, hide and restore anyone's stories and comments"))]
        indexes = [
            models.Index(fields=["status", "-hot_score"], name="story_hot_idx"),
            models.Index(fields=["status", "-published_at"], name="story_new_idx"),
            models.Index(fields=["status", "-vote_count"], name="story_top_idx"),
            models.Index(fields=["store", "kind", "status", "-published_at"], name="story_store_idx"),
            # A person's latest stories (the profile, practices.referents.services.person_stories); with id, status
            # and store in it, the profile's counts and the standards their stories inspired read the index alone
            # (key columns rather than INCLUDE, which SQLite lacks and warns about).
            models.Index(fields=["author", "-published_at", "id", "status", "store"], name="story_author_idx"),
            # The managers' dashboard counts a period's published stories by store, kind, pillar, day and
            # author (practices/dashboard/report.py): all in the index, so PostgreSQL never reads the table.
            models.Index(
                fields=["published_at", "store", "kind", "pillar", "author"],
                condition=Q(status="published"),
                name="story_dashboard_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="story_title_not_empty"),
            models.CheckConstraint(condition=~Q(body=""), name="story_body_not_empty"),
            models.UniqueConstraint(
                fields=["author", "draft_key"], condition=Q(draft_key__isnull=False), name="story_draft_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stories:detail", args=[self.pk])

    def can_edit(self, user) -> bool:
        if self.status == Story.Status.DELETED:
            return False
        return user.pk == self.author_id or user.has_perm("stories.moderate_story")

    def can_see_history(self, user) -> bool:
        return user.pk == self.author_id or user.has_perm("stories.moderate_story")

    def build_search_document(self, tags) -> str:
        return search_text(self.title, self.body, *tags)

    def compute_hot_score(self) -> float:
        return hot_score(
            votes=self.vote_count,
            voter_stores=self.voter_store_count,
            tried_stores=self.tried_count,
            published_at=self.published_at,
        )


class StoryRevision(models.Model):
    """A previous version of a story, kept on every edit so nothing written is lost."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=12, choices=Story.Kind.choices)
    title = models.CharField(max_length=120)
    body = models.TextField()
    pillar = models.ForeignKey(Pillar, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    tags = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-edited_at", "-pk"]
        verbose_name = _("story revision")
        verbose_name_plural = _("story revisions")

    def __str__(self) -> str:
        return f"{self.title} ({self.edited_at:%Y-%m-%d %H:%M})"


def photo_path(instance, filename: str) -> str:
    # Random names: a photo's URL reveals nothing and cannot be guessed.
    name = uuid.uuid4().hex
    return f"photos/{name[:2]}/{name}{filename[filename.rfind('.') :]}"


class StoryPhoto(models.Model):
    MAX_PER_STORY = 6

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=photo_path, width_field="width", height_field="height")
    thumbnail = models.ImageField(upload_to=photo_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(_("description for people who cannot see the photo"), max_length=250)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.alt_text

    # Photos are served by a view that checks who may see the story (stories.photo_views),
    # never straight from the storage's URL.
    @property
    def url(self) -> str:
        return reverse("stories:photo", args=[self.pk, "full"])

    @property
    def thumbnail_url(self) -> str:
        return reverse("stories:photo", args=[self.pk, "thumb"])


class Vote(models.Model):
    """A colleague found the story useful: one per person per story."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes")
    # The voter's store when voting: breadth of support counts stores, and people move.
    store = models.ForeignKey(Store, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["story", "user"], name="vote_once_per_person")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.story_id}"


class Tried(models.Model):
    """A store put the story's idea into practice: one per store per story."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="tries")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="tries", verbose_name=_("store"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("how did it go?"), max_length=140, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("“we tried it”")
        verbose_name_plural = _("“we tried it”")
        constraints = [models.UniqueConstraint(fields=["story", "store"], name="tried_once_per_store")]

    def __str__(self) -> str:
        return f"{self.store_id} → {self.story_id}"


class CommentQuerySet(models.QuerySet):
    def for_story_page(self):
        """Comments of a story page with what it shows of their authors, in one query."""
        # Only what the page shows of the authors (stories.pages.comment_values).
        fields = ["story", "parent", "body_html", "status", "created_at", "edited_at"]
        author = ["username", "display_name", "first_name", "last_name", "store__name", "store__slug"]
        return (
            self.select_related("author__store")
            .only(*fields, "author", *[f"author__{name}" for name in author])
            .order_by("created_at", "pk")
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden by a curator")
        DELETED = "deleted", _("Deleted by its author")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments")
    # One level of replies: a reply's parent is always a top-level comment.
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["story", "created_at"], name="comment_story_idx")]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return f"{self.story.get_absolute_url()}#comment-{self.pk}"

    def can_edit(self, user) -> bool:
        return self.status == Comment.Status.PUBLISHED and user.pk == self.author_id


class CommentRevision(models.Model):
    """The text a comment had before an edit."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-edited_at"]

    def __str__(self) -> str:
        return self.body[:60]


class Flag(models.Model):
    """A report to curators about a story or a comment: one per person per item."""

    class Reason(models.TextChoices):
        OFFENSIVE = "offensive", _("Offensive or disrespectful")
        PRIVATE = "private", _("Shares a customer's or colleague's private details")
        WRONG = "wrong", _("Wrong or unsafe practice")
        SPAM = "spam", _("Spam or off-topic")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HIDDEN = "hidden", _("Content hidden")
        DISMISSED = "dismissed", _("Dismissed")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="flags")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="flags")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    text = models.CharField(_("details (optional)"), max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "story"], condition=Q(comment__isnull=True), name="flag_story_once_per_person"
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"], condition=Q(comment__isnull=False), name="flag_comment_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.get_status_display()})"

    @property
    def target(self):
        return self.comment or self.story


class SearchWord(models.Model):
    """Every distinct word of stories and standards, for spelling tolerance in search.

    PostgreSQL's trigram index on this short list finds the words close to a
    misspelt one ("parapluyes" → "parapluies") in a millisecond, where trigram
    matching on whole documents would take seconds (practices/library/search.py).
    """

    word = models.CharField(max_length=SEARCH_WORD_MAX, primary_key=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self) -> str:
        return self.word


def search_words(document: str) -> set[str]:
    """The words of an accent-free document worth offering as spelling corrections."""
    return {word for word in re.findall(r"\w+", document) if SEARCH_WORD_MIN <= len(word) <= SEARCH_WORD_MAX}


class Decision(models.Model):
    """The curators' decision log: each hide, delete, dismissal or retirement, who made it and why.

    Stories and comments are linked; a standard (practices) is named by `subject`, `url` and `object_key`
    ("standard:<id>"), so that stories never reads practices' tables.
    """

    class Action(models.TextChoices):
        HIDE_STORY = "hide_story", _("Story hidden")
        SHOW_STORY = "show_story", _("Story shown again")
        DELETE_STORY = "delete_story", _("Story deleted")
        HIDE_COMMENT = "hide_comment", _("Comment hidden")
        DELETE_COMMENT = "delete_comment", _("Comment deleted")
        DISMISS_REPORT = "dismiss_report", _("Report dismissed")
        RETIRE_STANDARD = "retire_standard", _("Standard retired")

    REASON_MAX = 500

    action = models.CharField(_("decision"), max_length=20, choices=Action.choices)
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("curator")
    )
    reason = models.CharField(_("reason"), max_length=REASON_MAX, blank=True)
    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, null=True, blank=True, related_name="decisions", verbose_name=_("story")
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="decisions", verbose_name=_("comment")
    )
    subject = models.CharField(_("about"), max_length=200)
    url = models.CharField(_("link"), max_length=300, blank=True)
    object_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decision log")

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.subject}"
