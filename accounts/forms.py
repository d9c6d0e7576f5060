from django.contrib.auth import forms as auth_forms
from django.utils import translation


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, with each mail in the language of the person it goes to, not the requester's page."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs) -> None:
        with translation.override(context["user"].reading_language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
