"""Template tags of story pages."""

from django import template
from django.forms import BoundField
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def text_field(field: BoundField) -> SafeString:
    """One text input or textarea in Bootstrap's markup (stories/includes/text_field.html)."""
    return render_to_string("stories/includes/text_field.html", {"field": field})
