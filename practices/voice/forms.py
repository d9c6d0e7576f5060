from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, Store
from config.text import validate_no_control_characters
from practices.models import Feedback
from stories.forms import FilterForm
from stories.models import Pillar, Story


class VoiceFilterForm(FilterForm):
    """/voice/'s query string; unknown values fall back to no filter."""

    PERIODS = [
        ("", _("All time")),
        ("4w", _("Last 4 weeks")),
        ("12w", _("Last 12 weeks")),
        ("year", _("This year")),
    ]
    PERIOD_DAYS = {"4w": 28, "12w": 84, "year": 365}

    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), to_field_name="slug", required=False, empty_label=_("All")
    )
    store = forms.ModelChoiceField(
        label=_("Store"), queryset=Store.objects.all(), to_field_name="slug", required=False, empty_label=_("All")
    )
    source = forms.ChoiceField(label=_("Source"), choices=[("", _("All")), *Feedback.Source.choices], required=False)
    pillar = forms.ModelChoiceField(
        label=_("Pillar"), queryset=Pillar.objects.all(), to_field_name="slug", required=False, empty_label=_("All")
    )
    sentiment = forms.ChoiceField(
        label=_("Sentiment"), choices=[("", _("All")), *Feedback.Sentiment.choices], required=False
    )
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)


class ConfirmForm(forms.Form):
    """A curator's confirmation or correction of what an item is about."""

    pillars = forms.ModelMultipleChoiceField(queryset=Pillar.objects.all(), required=False)
    sentiment = forms.ChoiceField(choices=Feedback.Sentiment.choices)


class LinkForm(forms.Form):
    story = forms.ModelChoiceField(
        label=_("Story number"),
        queryset=Story.objects.published(),
        widget=forms.NumberInput,
        error_messages={"invalid_choice": _("There is no published story with this number.")},
    )


class ToldInStoreForm(forms.Form):
    """What a customer told me: a few taps from the phone."""

    text = forms.CharField(
        label=_("What the customer said"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_no_control_characters],
        error_messages={"required": _("Write what the customer said.")},
        help_text=_("Their words, as close as you remember. No names, phone numbers or e-mails."),
    )
    rating = forms.TypedChoiceField(
        label=_("How did they feel?"),
        choices=[("", _("I don't know")), ("9", _("Happy")), ("5", _("So-so")), ("2", _("Unhappy"))],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    story = forms.ModelChoiceField(
        label=_("Attach to one of my stories (optional)"), queryset=Story.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        mine = Story.objects.published().filter(author=user).order_by("-published_at")
        self.fields["story"].queryset = mine.filter(pk__in=list(mine.values_list("pk", flat=True)[:20]))
        self.fields["story"].widget.attrs["class"] = "form-select"


class ImportForm(forms.Form):
    """The curators' upload of a feedback file: the same import as `manage.py import_feedback`."""

    file = forms.FileField(
        label=_("Feedback file (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={"required": _("Choose a file to import.")},
    )
    scale = forms.TypedChoiceField(
        label=_("Ratings' scale"),
        choices=[("", _("From the file (0 to 10 when it says nothing)")), ("10", _("0 to 10")), ("5", _("1 to 5"))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and count, write nothing"), required=False, initial=True
    )
