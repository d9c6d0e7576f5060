"""Template tags practices lends to other apps' pages.

The profile page belongs to accounts, which may not import practices (DESIGN.md):
its template loads this library to show what practices and stories know about the
person, so the dependency stays one way and the view stays in accounts.
"""

from django import template

from practices.referents.services import recognition as recognition_of
from practices.voice.services import STORE_WEEKS, store_feedback

register = template.Library()


@register.inclusion_tag("practices/referents/includes/recognition.html", takes_context=True)
def recognition(context, person) -> dict:
    """The person's stories, standards inspired, stores reached and referent roles (four queries)."""
    viewer = context["user"]
    return {"person": person, "viewer": viewer, "recognition": recognition_of(person, viewer)}


@register.inclusion_tag("practices/voice/includes/store_words.html", takes_context=True)
def store_customer_words(context, store) -> dict:
    """The last weeks' feedback about the store, praise first, for its own staff and curators (one query)."""
    viewer = context["user"]
    if viewer.store_id != store.pk and not viewer.has_perm("practices.view_voice"):
        return {"items": []}
    return {"items": store_feedback(store.pk), "weeks": STORE_WEEKS}
