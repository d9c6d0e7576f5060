"""Checks on text people type, shared by every form."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED_CONTROLS = {"\n", "\r", "\t"}


def validate_no_control_characters(value: str) -> None:
    """Refuse NUL and other control characters (PostgreSQL rejects NUL with a 500)."""
    if any(unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROLS for char in value):
        raise ValidationError(
            _("This text contains invisible control characters. Remove them and try again."),
            code="control_characters",
        )


def search_text(*parts: str) -> str:
    """Text as search compares it: lower case, without accents, spaces collapsed ("Étiquette" → "etiquette")."""
    text = unicodedata.normalize("NFKD", " ".join(parts).casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.replace("\x00", " ").split())
