"""Template tags practices lends to other apps' pages.

The profile page belongs to accounts, which may not import practices (DESIGN.md):
its template loads this library to show what practices and stories know about the
person, so the dependency stays one way and the view stays in accounts.
"""

from django import template

from practices.referents.services import recognition as recognition_of

register = template.Library()


@register.inclusion_tag("practices/referents/includes/recognition.html", takes_context=True)
def recognition(context, person) -> dict:
    """The person's stories, standards inspired, stores reached and referent roles (four queries)."""
    viewer = context["user"]
    return {"person": person, "viewer": viewer, "recognition": recognition_of(person, viewer)}
