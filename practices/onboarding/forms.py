"""Forms of the onboarding pages: paths, steps, assignments, judgement cases."""

from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import User
from config.text import validate_no_control_characters
from practices.models import ANSWER_LIMIT, SITUATION_LIMIT, LearningPath, PathStep, Standard


def one_line(value: str) -> str:
    return " ".join(value.split())


class GroupChoiceField(forms.ModelChoiceField):
    """Groups by their translated name (names are stored in English, see accounts/roles.py)."""

    def label_from_instance(self, obj: Group) -> str:
        return gettext(obj.name)


class PathForm(forms.ModelForm):
    audience = GroupChoiceField(
        label=_("Audience"),
        queryset=Group.objects.order_by("name"),
        required=False,
        empty_label=_("Nobody: only the people I assign"),
        help_text=_("Everyone in this group follows the path, including people who join it later."),
    )

    class Meta:
        model = LearningPath
        fields = ["title", "description", "audience"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.initial.setdefault("audience", Group.objects.filter(name=roles.NEW_HIRES).first())
        for name in ["title", "description"]:
            self.fields[name].validators.append(validate_no_control_characters)
        self.fields["title"].error_messages["required"] = _("Give the path a title.")

    def clean_title(self) -> str:
        title = one_line(self.cleaned_data["title"])
        if not title:
            raise ValidationError(_("Give the path a title."), code="required")
        return title

    def clean_description(self) -> str:
        return self.cleaned_data["description"].strip()


class StepAddForm(forms.Form):
    standard = forms.ModelChoiceField(
        label=_("Standard"),
        queryset=Standard.objects.none(),
        empty_label=_("Choose a published standard"),
        error_messages={
            "required": _("Choose the standard to add."),
            "invalid_choice": _("Only a published standard can be added to a path."),
        },
    )
    note = forms.CharField(
        label=_("Note for the learners (optional)"),
        max_length=500,
        required=False,
        validators=[validate_no_control_characters],
        help_text=_("Why this standard matters in the first weeks, or what to look for."),
    )

    def __init__(self, *args, path: LearningPath, **kwargs):
        super().__init__(*args, **kwargs)
        self.path = path
        self.fields["standard"].queryset = Standard.objects.published().order_by("title")

    def clean_standard(self) -> Standard:
        standard = self.cleaned_data["standard"]
        if PathStep.objects.filter(path=self.path, standard=standard).exists():
            raise ValidationError(
                _("“%(title)s” is already in this path."), code="duplicate", params={"title": standard.title}
            )
        return standard

    def clean_note(self) -> str:
        return one_line(self.cleaned_data["note"])


class StepNoteForm(forms.ModelForm):
    class Meta:
        model = PathStep
        fields = ["note"]
        labels = {"note": _("Note for the learners (optional)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].validators.append(validate_no_control_characters)

    def clean_note(self) -> str:
        return one_line(self.cleaned_data["note"])


class AssignForm(forms.Form):
    username = forms.CharField(
        label=_("Username of the person to assign"),
        max_length=150,
        validators=[validate_no_control_characters],
        error_messages={"required": _("Type the username of the person to assign.")},
    )

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip().lstrip("@")
        person = User.objects.filter(username__iexact=username, is_active=True).first()
        if person is None:
            raise ValidationError(_("Nobody has the username “%(username)s”."), params={"username": username})
        return person


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("What would you do?"),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": ANSWER_LIMIT}),
        validators=[validate_no_control_characters],
        help_text=_("A few sentences. Only you will ever see your answer."),
        error_messages={"required": _("Write what you would do before revealing the standard.")},
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write what you would do before revealing the standard."), code="required")
        if len(text) > ANSWER_LIMIT:
            raise ValidationError(
                _("Keep your answer under %(limit)d characters (it has %(count)d)."),
                code="max_length",
                params={"limit": ANSWER_LIMIT, "count": len(text)},
            )
        return text


class SituationForm(forms.Form):
    situation = forms.CharField(
        label=_("Situation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": SITUATION_LIMIT}),
        validators=[validate_no_control_characters, MaxLengthValidator(SITUATION_LIMIT)],
        help_text=_(
            "The moment a customer needed something, told without what the staff member did: learners say what "
            "they would do before reading the standard. Leave empty for no judgement case."
        ),
    )

    def clean_situation(self) -> str:
        return self.cleaned_data["situation"].strip()
