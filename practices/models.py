from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Count, Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest, Log
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from accounts.models import Region
from stories.models import EXTRA_STORE_WEIGHT, TRIED_WEIGHT, Pillar, Story, StoryQuerySet, update_search_vectors


class Curation(models.Model):
    """Holds the curators' permissions that belong to no single table.

    No table is created; the permissions are what roles are built from
    (see accounts/roles.py).
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_dashboard", _("Can see the managers' dashboard")),
            ("promote_story", _("Can promote a story into a standard")),
            ("manage_standards", _("Can write, publish and retire standards")),
            ("manage_paths", _("Can manage learning paths")),
            ("manage_referents", _("Can name and remove referents")),
            ("view_voice", _("Can read and sort what customers said")),
        ]

    def __str__(self) -> str:
        return "curation"


# A petite attention repeated everywhere stops surprising, so standards that
# came from one are reviewed twice as often as the others.
REVIEW_AFTER = timedelta(days=365)
REVIEW_AFTER_ATTENTION = timedelta(days=180)

# Slugs the library's own pages use; a standard cannot take them.
RESERVED_SLUGS = {"new", "archive", "reviews"}


LONG_TEXT_FIELDS = ["practice", "practice_html", "why", "why_html", "situation", "search_document", "search_vector"]


class StandardQuerySet(models.QuerySet):
    def published(self):
        """Standards in the library (not drafts, not retired)."""
        return self.filter(status=Standard.Status.PUBLISHED)

    def visible_to(self, user):
        """Published and retired standards for everyone; drafts too for curators."""
        if user.has_perm("practices.manage_standards"):
            return self.all()
        return self.exclude(status=Standard.Status.DRAFT)

    def due_for_review(self, today: date | None = None):
        """Published standards whose review date has come."""
        return self.published().filter(review_at__lte=today or timezone.localdate())

    def update_search_vectors(self) -> int:
        """Recompute the stored full-text vectors of these standards (PostgreSQL; SQLite searches the text)."""
        return update_search_vectors(self)

    def with_reading(self, user):
        """The latest revision of each standard `user` confirmed reading, and when (None: never); its paths count."""
        mine = Acknowledgement.objects.filter(user=user, standard=OuterRef("pk")).order_by("-revision")
        paths = PathStep.objects.filter(standard=OuterRef("pk")).values("standard").annotate(count=Count("pk"))
        return self.annotate(
            read_revision=Subquery(mine.values("revision")[:1]),
            read_at=Subquery(mine.values("acknowledged_at")[:1]),
            path_count=Coalesce(Subquery(paths.values("count")), 0),
        )

    def for_list(self):
        """What a list of standards shows, in a fixed number of queries.

        The counts (source_count, tried_total) are stored on the row, kept by
        practices.library.services.standard_counts_update: nothing is summed per request.
        """
        return (
            self.select_related("pillar")
            .prefetch_related("tags")
            # A card shows none of the long texts: leaving them out keeps a search's sort small.
            .defer(*LONG_TEXT_FIELDS)
        )


class Standard(models.Model):
    """A practice in the standards library, written by curators."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    practice = models.TextField(_("the practice"), help_text=_("What to do. Markdown works."))
    practice_html = models.TextField(editable=False)
    why = models.TextField(_("why it works"), blank=True, help_text=_("Markdown works."))
    why_html = models.TextField(editable=False, blank=True)
    pillar = models.ForeignKey(
        Pillar, on_delete=models.SET_NULL, null=True, blank=True, related_name="standards", verbose_name=_("pillar")
    )
    tags = TaggableManager(_("tags"), blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Story.Language.choices, default=Story.Language.ENGLISH
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_standards", verbose_name=_("owner")
    )
    review_at = models.DateField(_("review date"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    # The latest revision marked as a material change: reading an older one no longer counts.
    material_revision = models.PositiveIntegerField(_("last material revision"), default=0, editable=False)
    situation = models.TextField(
        _("situation"),
        blank=True,
        max_length=2000,
        help_text=_("The moment a customer needed something, told without what the staff member did."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True, editable=False)
    # Kept by practices.library.services.standard_counts_update, so the library sorts on them through an index.
    source_count = models.PositiveIntegerField(_("source stories"), default=0, editable=False)
    tried_total = models.PositiveIntegerField(_("stores that tried its stories"), default=0, editable=False)
    # Title, summary, texts and tags, lower-cased without accents: what search reads.
    search_document = models.TextField(editable=False, blank=True)
    # On PostgreSQL, search_document as French and English lexemes, indexed (GIN); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = StandardQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="standard_new_idx"),
            models.Index(fields=["status", "review_at"], name="standard_review_idx"),
            models.Index(fields=["status", "-tried_total", "-source_count", "title"], name="standard_used_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="standard_title_not_empty"),
            models.CheckConstraint(condition=~Q(practice=""), name="standard_practice_not_empty"),
            models.CheckConstraint(
                condition=Q(material_revision__lte=F("revision")), name="standard_material_revision_exists"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:standard", args=[self.slug])

    @property
    def is_read(self) -> bool:
        """With with_reading(): the person's reading still counts (no material change since)."""
        read = getattr(self, "read_revision", None)
        return read is not None and read >= self.material_revision

    @property
    def is_due_for_review(self) -> bool:
        return (
            self.status == Standard.Status.PUBLISHED
            and self.review_at is not None
            and self.review_at <= timezone.localdate()
        )


class StandardRevision(models.Model):
    """A published version of a standard, numbered from 1; earlier ones stay readable."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300)
    practice_html = models.TextField()
    why_html = models.TextField(blank=True)
    change_note = models.CharField(_("change note"), max_length=200)
    # A material change asks everyone who acknowledged the standard to read it again.
    material = models.BooleanField(_("material change"), default=True)
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("standard revision")
        verbose_name_plural = _("standard revisions")
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="standard_revision_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (r{self.number})"

    def get_absolute_url(self) -> str:
        return reverse("practices:revision", args=[self.standard.slug, self.number])

    @property
    def note(self) -> str:
        """The change note, or what publishing without one means."""
        if self.change_note:
            return self.change_note
        return _("First version") if self.number == 1 else _("Published again")


class Promotion(models.Model):
    """A curator turned a story into a standard, or attached it to one: how its author gets credit.

    A story inspires one standard at most, which also makes promotion idempotent.
    """

    story = models.OneToOneField(Story, on_delete=models.PROTECT, related_name="promotion", verbose_name=_("story"))
    standard = models.ForeignKey(
        Standard, on_delete=models.CASCADE, related_name="promotions", verbose_name=_("standard")
    )
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("curator")
    )
    note = models.CharField(_("why"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("promoted"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")

    def __str__(self) -> str:
        return f"{self.story} → {self.standard}"


# Curation: the stories a curator may promote, read through practices' own QuerySet on
# Story's table (stories' QuerySet knows nothing of promotions).

CURATION_CANDIDATES = 500


class CurationQuerySet(StoryQuerySet):
    def unpromoted(self):
        """Published stories not promoted yet."""
        return self.published().exclude(Exists(Promotion.objects.filter(story=OuterRef("pk"))))

    def in_scopes(self, scopes: list[tuple[int, int]] | None):
        """With scopes, only stories of those (region id, pillar id) pairs: a referent's queue; None: all."""
        if scopes is None:
            return self
        return self.filter(
            reduce(or_, (Q(store__region_id=region, pillar_id=pillar) for region, pillar in scopes), Q(pk__in=[]))
        )

    def matching(self, filters: dict):
        """The queue's filters (CurationFilterForm.filters()): region, pillar, kind."""
        stories = self
        if filters.get("region"):
            stories = stories.filter(store__region=filters["region"])
        if filters.get("pillar"):
            stories = stories.filter(pillar=filters["pillar"])
        if filters.get("kind"):
            stories = stories.filter(kind=filters["kind"])
        return stories

    def ranked(self):
        """These stories best first: what peers said, with age taken into account.

        The stored hot score already weighs votes, voting stores and tries against
        age (see stories.models.hot_score); comments join the support here. Only the
        500 hottest candidates are ranked, so the queue costs the same on a network
        with a hundred stories or a million (an index gives them in order).
        """
        hottest = self.order_by("-hot_score").values("pk")[:CURATION_CANDIDATES]
        support = (
            F("vote_count")
            + EXTRA_STORE_WEIGHT * Greatest(F("voter_store_count") - 1, 0)
            + TRIED_WEIGHT * F("tried_count")
        )
        score = F("hot_score") - Log(10, support + 1) + Log(10, support + F("comment_count") + 1)
        return (
            Story.objects.filter(pk__in=hottest)
            .select_related("author", "store__region", "pillar")
            .annotate(curation_score=ExpressionWrapper(score, output_field=FloatField()))
            .order_by(F("curation_score").desc(), "-pk")
        )

    def queue(self, filters: dict, scopes: list[tuple[int, int]] | None = None):
        """The curation queue: published stories not promoted yet, filtered, best first."""
        return self.unpromoted().in_scopes(scopes).matching(filters).ranked()


def curation_stories() -> CurationQuerySet:
    """Every story, read through CurationQuerySet: curation_stories().queue(filters)."""
    return CurationQuerySet(Story)


# Onboarding: learning paths, acknowledgements and judgement cases.

SITUATION_LIMIT = 2000
ANSWER_LIMIT = 1000


class LearningPathQuerySet(models.QuerySet):
    def for_person(self, user):
        """Paths the person follows: those of their groups, and those a curator assigned them."""
        return self.filter(Q(audience__user=user) | Q(assignments__user=user)).distinct()

    def with_step_count(self):
        """Each path's number of steps and of people assigned by hand."""
        return self.annotate(
            step_count=Count("steps", distinct=True), assigned_count=Count("assignments", distinct=True)
        )


class LearningPath(models.Model):
    """An ordered list of standards for an audience (new hires by default)."""

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    audience = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learning_paths",
        verbose_name=_("audience"),
        help_text=_("Everyone in this group follows the path. Empty: only the people you assign."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LearningPathQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="learning_path_title_not_empty")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:path", args=[self.pk])


class PathStepQuerySet(models.QuerySet):
    def with_progress(self, user):
        """Each step's state for `user`: read (still counts), read before a material change, case answered."""
        acknowledged = Acknowledgement.objects.filter(user=user, standard=OuterRef("standard"))
        return self.annotate(
            is_read=Exists(acknowledged.filter(revision__gte=OuterRef("standard__material_revision"))),
            was_read=Exists(acknowledged),
            answered=Exists(CaseAnswer.objects.filter(user=user, standard=OuterRef("standard"))),
        )


class PathStep(models.Model):
    """One standard in a path, at a position, with an optional note from the curator."""

    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="steps")
    # PROTECT: a standard in a path cannot be deleted (services also refuse to retire it).
    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="path_steps", verbose_name=_("standard")
    )
    position = models.PositiveIntegerField(_("position"))
    note = models.CharField(_("note from the curator"), max_length=500, blank=True)

    objects = PathStepQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["path", "standard"], name="path_step_unique_standard"),
            models.UniqueConstraint(fields=["path", "position"], name="path_step_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.path} #{self.position}: {self.standard}"

    @property
    def counts(self) -> bool:
        """Only published standards count towards progress (a path never breaks on another status)."""
        return self.standard.status == Standard.Status.PUBLISHED


class PathAssignment(models.Model):
    """A curator put a person on a path, whatever their group."""

    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="path_assignments", verbose_name=_("person")
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("assigned"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("path assignment")
        verbose_name_plural = _("path assignments")
        constraints = [models.UniqueConstraint(fields=["path", "user"], name="path_assignment_once")]

    def __str__(self) -> str:
        return f"{self.user} → {self.path}"


class AcknowledgementQuerySet(models.QuerySet):
    def current(self):
        """Acknowledgements that still count: of a revision at or after the standard's last material change."""
        return self.filter(revision__gte=F("standard__material_revision"))


class Acknowledgement(models.Model):
    """A person confirmed they read and understood a given revision of a standard."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgements")
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="acknowledgements")
    revision = models.PositiveIntegerField(_("revision"))
    acknowledged_at = models.DateTimeField(_("read on"), default=timezone.now)

    objects = AcknowledgementQuerySet.as_manager()

    class Meta:
        ordering = ["-acknowledged_at", "-pk"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["user", "standard", "revision"], name="acknowledgement_once_per_revision"),
            models.CheckConstraint(condition=Q(revision__gte=1), name="acknowledgement_revision_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.standard} (r{self.revision})"


class CaseAnswer(models.Model):
    """What a learner would do in a standard's situation, written before reading it. Only they see it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_answers")
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="case_answers")
    text = models.TextField(_("what would you do?"), max_length=ANSWER_LIMIT)
    created_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        verbose_name = _("judgement case answer")
        verbose_name_plural = _("judgement case answers")
        constraints = [
            models.UniqueConstraint(fields=["user", "standard"], name="case_answer_once"),
            models.CheckConstraint(condition=~Q(text=""), name="case_answer_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.standard}"


# Recognition: referents, and the weekly digest's record of what was sent.


class Referent(models.Model):
    """A staff member recognised as the reference for a pillar in a region, named by a curator."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referent_roles", verbose_name=_("person")
    )
    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="referents", verbose_name=_("pillar"))
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="referents", verbose_name=_("region"))
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("named by"),
    )
    named_at = models.DateTimeField(_("named on"), default=timezone.now)

    class Meta:
        ordering = ["named_at", "pk"]
        verbose_name = _("referent")
        verbose_name_plural = _("referents")
        constraints = [
            models.UniqueConstraint(fields=["person", "pillar", "region"], name="referent_once_per_pillar_region"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.pillar}, {self.region})"


class DigestDelivery(models.Model):
    """The weekly digest went to this person for this week: written with the decision to send, so never twice."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    week = models.DateField(_("week"), help_text=_("The Monday the week starts on."))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-week", "pk"]
        verbose_name = _("weekly digest sent")
        verbose_name_plural = _("weekly digests sent")
        constraints = [
            models.UniqueConstraint(fields=["person", "week"], name="digest_once_per_person_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.week:%G-W%V})"


class PillarWords(models.Model):
    """The words that say a customer speaks about a pillar, in one language: data curators edit in the admin.

    One word or expression a line (or separated by commas); compared without accents or case (config.text).
    """

    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="words", verbose_name=_("pillar"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    words = models.TextField(_("words"), help_text=_("One word or expression a line, or separated by commas."))

    class Meta:
        ordering = ["pillar__order", "language"]
        verbose_name = _("pillar words")
        verbose_name_plural = _("pillar words")
        constraints = [models.UniqueConstraint(fields=["pillar", "language"], name="pillar_words_once_per_language")]

    def __str__(self) -> str:
        return f"{self.pillar} ({self.language})"

    def word_list(self) -> list[str]:
        return [word.strip() for line in self.words.splitlines() for word in line.split(",") if word.strip()]


class Feedback(models.Model):
    """What a customer said about a store: imported from surveys, mystery shops, reviews... or told to staff.

    Personal data (e-mails, phone and card numbers) is removed from `text` before it is stored
    (practices.voice.scrub). `pillars`, `sentiment` and `reason` come from the pillar word lists
    (practices.voice.matching) until a curator confirms or corrects them (`confirmed_at`): from then
    on a re-import never changes them.
    """

    class Source(models.TextChoices):
        SURVEY = "survey", _("Survey")
        MYSTERY_SHOP = "mystery_shop", _("Mystery shop")
        REVIEW = "review", _("Online review")
        SOCIAL = "social", _("Social networks")
        IN_STORE = "in_store", _("Told in the store")

    class Sentiment(models.TextChoices):
        PRAISE = "praise", _("Praise")
        COMPLAINT = "complaint", _("Complaint")
        NEUTRAL = "neutral", _("Neutral")

    date = models.DateField(_("date"), default=timezone.localdate)
    store = models.ForeignKey(
        "accounts.Store", on_delete=models.CASCADE, related_name="feedback", verbose_name=_("store")
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    rating = models.PositiveSmallIntegerField(_("rating (0 to 10)"), null=True, blank=True)
    text = models.TextField(_("what the customer said"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    external_id = models.CharField(_("external ID"), max_length=100, unique=True, null=True, blank=True)
    pillar_scores = models.JSONField(_("pillar scores"), default=dict, blank=True)
    sentiment = models.CharField(_("sentiment"), max_length=16, choices=Sentiment.choices, default=Sentiment.NEUTRAL)
    pillars = models.ManyToManyField(Pillar, blank=True, related_name="feedback", verbose_name=_("pillars"))
    reason = models.CharField(_("why"), max_length=300, blank=True)
    suggested_standards = models.ManyToManyField(Standard, blank=True, related_name="+")
    suggested_stories = models.ManyToManyField(Story, blank=True, related_name="+")
    stories = models.ManyToManyField(
        Story, blank=True, related_name="customer_feedback", verbose_name=_("stories it is evidence for")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("customer feedback")
        verbose_name_plural = _("customer feedback")
        indexes = [
            models.Index(fields=["-date", "-id"], name="feedback_recent_idx"),
            models.Index(fields=["store", "-date"], name="feedback_store_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.store_id} {self.date}: {self.text[:40]}"


class StandardSend(models.Model):
    """A curator sent a standard to a store because of what a customer said: its staff have it "to read".

    The customer's words are copied into `reason` (already without personal data) so the item keeps
    its reason should the feedback go. Once per standard and store: sending again changes nothing.
    """

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="sends", verbose_name=_("standard"))
    store = models.ForeignKey(
        "accounts.Store", on_delete=models.CASCADE, related_name="standards_sent", verbose_name=_("store")
    )
    feedback = models.ForeignKey(
        Feedback, on_delete=models.SET_NULL, null=True, blank=True, related_name="sends", verbose_name=_("feedback")
    )
    reason = models.TextField(_("what the customer said"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("standard sent to a store")
        verbose_name_plural = _("standards sent to stores")
        constraints = [models.UniqueConstraint(fields=["standard", "store"], name="standard_send_once_per_store")]

    def __str__(self) -> str:
        return f"{self.standard} → {self.store}"
