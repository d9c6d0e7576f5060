from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from accounts.models import Region
from config.text import validate_no_control_characters
from practices.models import Standard
from stories.forms import FilterForm, clean_tag_names
from stories.models import Pillar, Story

TEXT_LIMIT = 10_000


class StandardFieldsMixin:
    """Cleaning shared by writing a standard and promoting a story into a new one."""

    def setup_standard_fields(self) -> None:
        self.fields["pillar"].queryset = Pillar.objects.all()
        self.fields["pillar"].empty_label = _("No pillar")
        for name in ["title", "summary", "practice", "why"]:
            self.fields[name].validators.append(validate_no_control_characters)
        for name in ["practice", "why"]:
            # Setting max_length after the field is built adds no validator: add it too.
            self.fields[name].max_length = TEXT_LIMIT
            self.fields[name].validators.append(MaxLengthValidator(TEXT_LIMIT))
            self.fields[name].widget.attrs["maxlength"] = TEXT_LIMIT
        self.fields["title"].error_messages["required"] = _("Give the standard a title.")
        self.fields["summary"].error_messages["required"] = _("Sum the standard up in a sentence.")
        self.fields["practice"].error_messages["required"] = _("Say what to do.")

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title and self.fields["title"].required:
            raise ValidationError(_("Give the standard a title."), code="required")
        return title

    def clean_summary(self) -> str:
        summary = " ".join(self.cleaned_data["summary"].split())
        if not summary and self.fields["summary"].required:
            raise ValidationError(_("Sum the standard up in a sentence."), code="required")
        return summary

    def clean_practice(self) -> str:
        practice = self.cleaned_data["practice"].strip()
        if not practice and self.fields["practice"].required:
            raise ValidationError(_("Say what to do."), code="required")
        return practice

    def clean_why(self) -> str:
        return self.cleaned_data["why"].strip()

    def clean_tags(self) -> list[str]:
        return clean_tag_names(self.cleaned_data["tags"])

    def standard_fields(self) -> dict:
        names = ["title", "summary", "practice", "why", "pillar", "tags"]
        fields = {name: self.cleaned_data[name] for name in names}
        return fields | {"language": self.cleaned_data.get("language") or Story.Language.ENGLISH}


class StandardForm(StandardFieldsMixin, forms.ModelForm):
    """Write or edit a standard. Editing a published one publishes a new revision, so it needs a change note."""

    tags = TagField(label=_("Tags"), required=False, help_text=_("A few words, separated by commas."))
    change_note = forms.CharField(
        label=_("What changed?"),
        max_length=200,
        required=False,
        validators=[validate_no_control_characters],
        help_text=_("A short note readers see in the list of revisions."),
    )
    material = forms.BooleanField(
        label=_("Material change: everyone who read the standard must read it again"),
        required=False,
        help_text=_("Leave unticked for a typo or a clearer wording."),
    )

    class Meta:
        model = Standard
        fields = ["title", "summary", "practice", "why", "pillar", "tags", "language", "review_at"]
        widgets = {
            "summary": forms.TextInput(),
            "practice": forms.Textarea(attrs={"rows": 8}),
            "why": forms.Textarea(attrs={"rows": 4}),
            "review_at": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"review_at": _("Empty: a year after publishing (six months for a petite attention).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_standard_fields()
        self.is_revision = self.instance.pk is not None and self.instance.status == Standard.Status.PUBLISHED
        if not self.is_revision:
            del self.fields["change_note"]
            del self.fields["material"]

    def clean_review_at(self):
        review_at = self.cleaned_data["review_at"]
        unchanged = review_at == self.instance.review_at
        if review_at and review_at < timezone.localdate() and not unchanged:
            raise ValidationError(
                _("Choose a review date from today on; to review it now, use “Confirm it still holds”."),
                code="past",
            )
        return review_at

    def clean_change_note(self) -> str:
        note = " ".join(self.cleaned_data["change_note"].split())
        if not note:
            raise ValidationError(_("Say in a few words what changed."), code="required")
        return note


class PromoteForm(StandardFieldsMixin, forms.Form):
    """Promote a story: into a new standard (pre-filled from the story), or attached to an existing one."""

    standard = forms.ModelChoiceField(
        label=_("Attach to an existing standard"),
        queryset=Standard.objects.none(),
        required=False,
        empty_label=_("No: create a new standard"),
        help_text=_("Choose one to add this story as another source; the fields below are then ignored."),
    )
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    practice = forms.CharField(
        label=_("The practice"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What to do. Markdown works."),
    )
    why = forms.CharField(label=_("Why it works"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    pillar = forms.ModelChoiceField(label=_("Pillar"), queryset=Pillar.objects.none(), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Story.Language.choices, required=False)
    tags = TagField(label=_("Tags"), required=False, help_text=_("A few words, separated by commas."))
    publish = forms.BooleanField(
        label=_("Publish the new standard now"), required=False, initial=True, help_text=_("Untick to keep a draft.")
    )
    note = forms.CharField(
        label=_("Why promote this story?"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[validate_no_control_characters],
    )

    def __init__(self, *args, story: Story, **kwargs):
        kwargs.setdefault("initial", self.initial_from(story))
        super().__init__(*args, **kwargs)
        self.setup_standard_fields()
        self.fields["standard"].queryset = Standard.objects.exclude(status=Standard.Status.RETIRED).order_by("title")

    @staticmethod
    def initial_from(story: Story) -> dict:
        first_paragraph = story.body.strip().split("\n\n")[0]
        summary = " ".join(first_paragraph.replace("*", "").replace("#", "").split())
        if len(summary) > 300:
            summary = summary[:299].rsplit(" ", 1)[0] + "…"
        return {
            "title": story.title,
            "summary": summary,
            "practice": story.body,
            "pillar": story.pillar_id,
            "language": story.language,
            "tags": ", ".join(sorted(tag.name for tag in story.tags.all())),
            "publish": True,
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("standard") is None:
            for name, message in [
                ("title", _("Give the standard a title.")),
                ("summary", _("Sum the standard up in a sentence.")),
                ("practice", _("Say what to do.")),
            ]:
                if name not in self.errors and not cleaned.get(name):
                    self.add_error(name, message)
        return cleaned


class CurationFilterForm(FilterForm):
    """The curation queue's query string; unknown values fall back to no filter."""

    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), to_field_name="slug", required=False, empty_label=_("All")
    )
    pillar = forms.ModelChoiceField(
        label=_("Pillar"), queryset=Pillar.objects.all(), to_field_name="slug", required=False, empty_label=_("All")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Story.Kind.choices], required=False)

    def __init__(self, *args, scopes: list[tuple[int, int]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if scopes is not None:  # a referent: only their regions and pillars to choose from
            self.fields["region"].queryset = Region.objects.filter(pk__in={region for region, pillar in scopes})
            self.fields["pillar"].queryset = Pillar.objects.filter(pk__in={pillar for region, pillar in scopes})


class LibraryFilterForm(FilterForm):
    """The library's query string; unknown values fall back to the defaults."""

    SORTS = [("new", _("Newest")), ("used", _("Most used")), ("title", _("A to Z"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    pillar = forms.ModelChoiceField(
        label=_("Pillar"), queryset=Pillar.objects.all(), to_field_name="slug", required=False, empty_label=_("All")
    )
    tag = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)

    def filters(self) -> dict:
        values = super().filters()
        values["q"] = (values.get("q") or "").strip()
        values["sort"] = values.get("sort") or "new"
        return values
