import functools

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Store(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="stores", verbose_name=_("region"))
    city = models.CharField(_("city"), max_length=100)
    # The code HR's roster names the store by (accounts/roster.py); stores typed in by hand may have none yet.
    store_code = models.CharField(
        _("store code"), max_length=32, unique=True, null=True, blank=True, help_text=_("The code of the HR roster.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("store")
        verbose_name_plural = _("stores")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stories:store", args=[self.slug])


def person_name(display_name: str, first_name: str, last_name: str, username: str, *, pk: int | None) -> str:
    """How the site names a person: their display name, else their full name, else their username.

    An erased person (accounts.personal_data) is "a former colleague": lists load people with only their
    names, username and id, and an erased person's username is `former-<id>` (User.erased_username).
    """
    if pk is not None and username == f"former-{pk}":
        return str(_("A former colleague"))
    return display_name or f"{first_name} {last_name}".strip() or username


class User(AbstractUser):
    """A member of the network: store staff, curators, new hires, administrators."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    store = models.ForeignKey(
        Store,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("store"),
        help_text=_("Head-office people belong to no store."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the browser's language chooses."),
    )
    weekly_digest = models.BooleanField(
        _("weekly digest by e-mail"),
        default=True,
        help_text=_("The week's best stories, new standards and what happened to yours, once a week."),
    )
    # Who HR says the person is (accounts/roster.py): the roster matches people on it.
    employee_id = models.CharField(
        _("employee ID"), max_length=64, unique=True, null=True, blank=True, help_text=_("From the HR roster.")
    )
    language = models.CharField(
        _("language (HR roster)"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Used when the person chose no language."),
    )
    browser_language = models.CharField(
        _("browser's language at the last sign-in"), max_length=8, blank=True, editable=False
    )
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)
    # The secret behind the person's private feed links (accounts/feeds.py); empty: no links. A new key
    # (on request, or when the password changes) makes the old links answer 404.
    feed_key = models.CharField(_("private feed key"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [("erase_user", _("Can erase a person's data (on their request)"))]

    def __str__(self) -> str:
        return self.name

    @functools.cached_property
    def unread_count(self) -> int:
        """How many notifications the person has not opened (the header's badge), counted once per request."""
        return self.notifications.unread().count()

    @property
    def name(self) -> str:
        return person_name(self.display_name, self.first_name, self.last_name, self.username, pk=self.pk)

    @property
    def erased_username(self) -> str:
        """The username an erased person keeps: no trace of who they were (accounts.personal_data)."""
        return f"former-{self.pk}"

    @property
    def known_language(self) -> str:
        """The language the person reads: the one they chose, else the roster's, else their browser's; '' if none."""
        return self.preferred_language or self.language or self.browser_language

    @property
    def reading_language(self) -> str:
        """known_language, else the site's default: what mail to the person is written in."""
        return self.known_language or settings.LANGUAGE_CODE

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", args=[self.username])


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        """Notifications the person has not opened yet."""
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One line in a person's inbox.

    The text is written when shown, from `kind` and `params`, so it is always
    in the language of the person reading it.
    """

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment on your story")
        REPLY = "reply", _("Reply to your comment")
        MENTION = "mention", _("Mention")
        TRIED = "tried", _("Another store tried your idea")
        MILESTONE = "milestone", _("Votes milestone")
        PROMOTED = "promoted", _("Story promoted")
        REREAD = "reread", _("A standard you read has changed")
        REPORT = "report", _("Content reported")
        TO_READ = "toread", _("A standard to read for your store")
        GUESTBOOK = "guestbook", _("A visitor wrote in your store's guestbook")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    url = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    # Set when one event must notify once only (a votes milestone, a promotion).
    once_key = models.CharField(max_length=120, null=True, blank=True)  # noqa: DJ001 (NULLs never clash)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "once_key"], name="notification_once_per_key"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        actor = self.actor.name if self.actor else _("Someone")
        title = self.params.get("title", "")
        if self.kind == self.Kind.COMMENT:
            return _("%(actor)s commented on your story “%(title)s”.") % {"actor": actor, "title": title}
        if self.kind == self.Kind.REPLY:
            return _("%(actor)s replied to your comment on “%(title)s”.") % {"actor": actor, "title": title}
        if self.kind == self.Kind.MENTION:
            return _("%(actor)s mentioned you on “%(title)s”.") % {"actor": actor, "title": title}
        if self.kind == self.Kind.TRIED:
            store = self.params.get("store", "")
            return _("%(store)s tried your idea “%(title)s”.") % {"store": store, "title": title}
        if self.kind == self.Kind.MILESTONE:
            return _("Your story “%(title)s” reached %(votes)d votes.") % {
                "title": title,
                "votes": self.params.get("votes", 0),
            }
        if self.kind == self.Kind.PROMOTED:
            return _("Your story “%(title)s” became the standard “%(standard)s”.") % {
                "title": title,
                "standard": self.params.get("standard", ""),
            }
        if self.kind == self.Kind.REPORT:
            return _("%(actor)s reported content on “%(title)s”.") % {"actor": actor, "title": title}
        if self.kind == self.Kind.GUESTBOOK:
            store = self.params.get("store", "")
            if store:
                return _("%(actor)s (%(store)s) wrote in your store's guestbook: “%(title)s”.") % {
                    "actor": actor,
                    "store": store,
                    "title": title,
                }
            return _("%(actor)s wrote in your store's guestbook: “%(title)s”.") % {"actor": actor, "title": title}
        if self.kind == self.Kind.REREAD:
            return _("The standard “%(standard)s” has changed: read it again and confirm.") % {
                "standard": self.params.get("standard", ""),
            }
        if self.kind == self.Kind.TO_READ:
            return _("To read: “%(standard)s”. A customer of your store said: “%(words)s”") % {
                "standard": self.params.get("standard", ""),
                "words": self.params.get("words", ""),
            }
        return title


class RosterUpload(models.Model):
    """A roster file sent through the admin, checked (a dry run) then applied by a task (accounts/tasks.py).

    The file waits here, not on disk or in object storage, so the task worker finds it
    wherever it runs and nobody can download it; it is emptied once applied or refused.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking the file")
        CHECKED = "checked", _("Checked: waiting for confirmation")
        INVALID = "invalid", _("Refused: the file has problems")
        APPLYING = "applying", _("Importing")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Failed")

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    filename = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(default=bytes, editable=False)
    deactivate_missing = models.BooleanField(_("deactivate the people missing from the file"), default=False)
    language = models.CharField(max_length=8, default="en")  # the uploader's, for the messages
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CHECKING)
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self) -> str:
        return self.filename

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.APPLYING)


class PushSubscription(models.Model):
    """A browser's Web Push subscription (one per device): where to send the person's notifications, and which."""

    class Kind(models.TextChoices):
        MENTIONS = "mentions", _("Mentions")
        REPLIES = "replies", _("Replies and comments on my stories")
        PROMOTIONS = "promotions", _("My stories promoted into standards")
        REREAD = "reread", _("Standards to read again")

    # Which inbox notifications each choice sends (Notification.Kind).
    NOTIFICATION_KINDS = {
        Kind.MENTIONS: {"mention"},
        Kind.REPLIES: {"reply", "comment"},
        Kind.PROMOTIONS: {"promoted"},
        Kind.REREAD: {"reread"},
    }

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    kinds = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.endpoint[:60]}"

    def wants(self, notification_kind: str) -> bool:
        return any(notification_kind in self.NOTIFICATION_KINDS.get(kind, ()) for kind in self.kinds)
