"""Template tags of story pages."""

from django import template
from django.forms import BoundField
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# An empty field of a form nobody has sent renders the same for everyone in a language:
# its HTML is kept in this process. Keyed by form class, field, names and language, so a
# handful of entries; a deploy (new code, new translations) starts a new process.
_empty_fields: dict[tuple, str] = {}


@register.simple_tag
def text_field(field: BoundField) -> SafeString:
    """One text input or textarea in Bootstrap's markup (stories/includes/text_field.html)."""
    if field.form.is_bound or field.value() not in (None, ""):
        return render_to_string("stories/includes/text_field.html", {"field": field})
    key = (type(field.form), field.name, field.html_name, field.auto_id, get_language())
    html = _empty_fields.get(key)
    if html is None:
        html = _empty_fields[key] = render_to_string("stories/includes/text_field.html", {"field": field})
    return mark_safe(html)  # noqa: S308 (our template's output)
