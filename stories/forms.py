from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from config.text import validate_no_control_characters
from stories.models import Flag, Pillar, Story, StoryPhoto
from stories.photos import ProcessedPhoto, process_photo

MAX_TAGS = 10


def clean_tag_names(names: list[str]) -> list[str]:
    """Tags as stored: lower case, unique, sorted, each short and printable, at most MAX_TAGS."""
    tags = sorted({tag.strip().lower() for tag in names if tag.strip()})
    for tag in tags:
        validate_no_control_characters(tag)
        if len(tag) > 50:
            raise ValidationError(_("A tag can have at most 50 characters."), code="tag_too_long")
    if len(tags) > MAX_TAGS:
        raise ValidationError(_("Use at most %(max)d tags."), params={"max": MAX_TAGS}, code="too_many_tags")
    return tags


def style_filter_selects(form: forms.Form) -> None:
    """Bootstrap's look for the drop-down lists of a filter form rendered field by field."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.Select):
            field.widget.attrs.setdefault("class", "form-select")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several image files in one field, each decoded and cleaned by photos.py."""

    widget = MultipleFileInput(attrs={"accept": "image/*"})

    def __init__(self, *args, max_files: int = StoryPhoto.MAX_PER_STORY, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_files = max_files

    def clean(self, data, initial=None) -> list[ProcessedPhoto]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        # Count before decoding anything: twenty large photos are refused cheaply.
        if len(files) > self.max_files:
            raise ValidationError(
                _("A story can have at most %(max)d photos; you can add %(allowed)d more."),
                params={"max": StoryPhoto.MAX_PER_STORY, "allowed": max(self.max_files, 0)},
                code="too_many_photos",
            )
        errors, photos = [], []
        for upload in files:
            try:
                photos.append(process_photo(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return photos


class StoryForm(forms.ModelForm):
    """Post or edit a story. Field names are a public contract (kind, title, body, pillar, tags, photos)."""

    tags = TagField(
        label=_("Tags"),
        required=False,
        help_text=_("A few words, separated by commas: gift wrapping, rain, children."),
    )
    photos = MultiplePhotoField(
        label=_("Photos"),
        required=False,
        help_text=_("Up to 6 photos: take one with the camera or choose from your gallery."),
    )
    photo_alt = forms.CharField(
        label=_("What the photos show"),
        required=False,
        max_length=250,
        validators=[validate_no_control_characters],
        help_text=_("A short description for colleagues who cannot see the photos."),
    )

    class Meta:
        model = Story
        fields = ["kind", "title", "body", "pillar", "tags", "language"]
        widgets = {
            "kind": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {"body": _("What happened?")}
        help_texts = {
            "body": _("Tell it as you would to a colleague. Markdown works: **bold**, lists, links."),
        }

    def __init__(self, *args, existing_photos: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].max_files = StoryPhoto.MAX_PER_STORY - existing_photos
        self.fields["pillar"].queryset = Pillar.objects.all()
        self.fields["pillar"].empty_label = _("No pillar")
        self.fields["title"].widget.attrs.update({"autocomplete": "off", "maxlength": 120})
        self.fields["body"].max_length = 10_000
        self.fields["body"].widget.attrs["maxlength"] = 10_000
        self.fields["title"].error_messages["required"] = _("Give your story a title.")
        self.fields["body"].error_messages["required"] = _("Tell what happened.")
        for name in ["title", "body"]:
            self.fields[name].validators.append(validate_no_control_characters)
        if not self.instance.pk:
            self.fields["language"].initial = "fr" if (get_language() or "").startswith("fr") else "en"

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError(_("Give your story a title."), code="required")
        return title

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError(_("Tell what happened."), code="required")
        if len(body) > 10_000:
            raise ValidationError(_("Keep it under 10,000 characters (it has %(count)d)."), params={"count": len(body)})
        return body

    def clean_tags(self) -> list[str]:
        return clean_tag_names(self.cleaned_data["tags"])


class NewStoryForm(StoryForm):
    """Post a story. `draft_key` is made by the device for an offline draft (static/js/drafts.js): resent, one story."""

    draft_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean_draft_key(self):
        return self.cleaned_data["draft_key"] or None


class PhotoEditForm(forms.Form):
    """The alt text and removal of one photo already on a story (prefix = photo id)."""

    alt_text = forms.CharField(
        label=_("What this photo shows"), max_length=250, validators=[validate_no_control_characters]
    )
    remove = forms.BooleanField(label=_("Remove this photo"), required=False)


class FilterForm(forms.Form):
    """A list page's query string: a value that is not valid is dropped (the default applies), never an error page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(validate_no_control_characters)
        style_filter_selects(self)

    def filters(self) -> dict:
        """The valid values; a missing or invalid one is None (or its subclass's default)."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}


class FeedFilterForm(FilterForm):
    """The feed's query string. Unknown values fall back to the defaults, never to an error page."""

    SORTS = [("hot", _("Hot")), ("new", _("New")), ("top", _("Top"))]
    PERIODS = [("all", _("All time")), ("week", _("This week")), ("month", _("This month")), ("year", _("This year"))]
    PERIOD_DAYS = {"week": 7, "month": 30, "year": 365}

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Story.Kind.choices], required=False)
    pillar = forms.ModelChoiceField(
        label=_("Pillar"), queryset=Pillar.objects.all(), to_field_name="slug", required=False, empty_label=_("All")
    )
    region = forms.SlugField(required=False, widget=forms.HiddenInput)
    store = forms.SlugField(required=False, widget=forms.HiddenInput)
    tag = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def filters(self) -> dict:
        """The valid filters, with defaults for anything missing or invalid."""
        values = super().filters()
        values["sort"] = values.get("sort") or "hot"
        values["period"] = values.get("period") or "all"
        values["q"] = (values.get("q") or "").strip()
        return values


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_no_control_characters],
        error_messages={"required": _("Write something before sending.")},
        help_text=_("Mention a colleague with @username."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError(_("Write something before sending."), code="required")
        return body


class TriedForm(forms.Form):
    outcome = forms.CharField(
        label=_("How did it go? (optional)"),
        max_length=140,
        required=False,
        validators=[validate_no_control_characters],
        widget=forms.TextInput(attrs={"placeholder": _("Customers loved it")}),
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting this?"), choices=Flag.Reason.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Details (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[validate_no_control_characters],
    )


class DecisionForm(forms.Form):
    """A curator's reason for a destructive decision (hide, delete, retire), kept in the decision log."""

    reason = forms.CharField(
        label=_("Reason (kept in the decision log)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_no_control_characters],
        error_messages={"required": _("Give a reason: it is kept in the decision log.")},
    )

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
