from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, User
from config.text import validate_no_control_characters
from stories.models import Pillar


class ReferentForm(forms.Form):
    """Name a referent: a person by username, a pillar and a region (the curator's own by default)."""

    username = forms.CharField(
        label=_("Username of the staff member"),
        max_length=150,
        validators=[validate_no_control_characters],
        help_text=_("As on their profile: for example hugo."),
    )
    pillar = forms.ModelChoiceField(label=_("Pillar"), queryset=Pillar.objects.all(), empty_label=None)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = _("Type the username of the person to name.")

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip().lstrip("@")
        person = User.objects.filter(username__iexact=username, is_active=True).select_related("store__region").first()
        if person is None:
            raise ValidationError(_("Nobody has the username “%(username)s”."), params={"username": username})
        return person
