"""HTML kept in the cache under a key made of everything it shows.

A fragment is a template rendered from a dictionary of plain values (text, numbers,
booleans, dates, and lists, tuples or dicts of them) and nothing else: no request, no
person, no model instance, no context processor. Its key is a digest of the template's
name, those values, the language, the script prefix and the deploy's version (the
contents of our templates, translations and code), so a fragment can only ever show
what its key was made of:

- a write changes a value the page reads from the database, so the next request asks
  for another key; the old entry is never read again and expires on its own. No write
  ever calls the cache, and a cache that was down, slow or emptied cannot hide one;
- a new template, translation or code change makes new keys (a new deploy version);
- whatever differs per reader is either one of the values (the state of a vote
  button) or drawn live around the fragments (the CSRF token lives only in the page's
  one live form, templates/base.html, which the fragments' buttons submit).

One round trip reads all the fragments a page needs, its header and footer included
(`render_fragments`, config.context_processors.render_page_fragments).
"""

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

import django
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from config.cache import cache_get_many, cache_set_many

FRAGMENT_TIMEOUT = 60 * 60
PLAIN_TYPES = (str, int, float, bool, type(None), date, datetime)
SOURCES = ("templates", "locale", "config", "accounts", "stories", "practices")
SOURCE_SUFFIXES = {".html", ".txt", ".mo", ".py"}


def deploy_version() -> str:
    """A digest of what can change the HTML a template renders: our templates, translations and code, and Django's."""
    digest = hashlib.blake2b(django.__version__.encode(), digest_size=8)
    for folder in SOURCES:
        for path in sorted(Path(settings.BASE_DIR, folder).rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


DEPLOY_VERSION = deploy_version()


def check_plain(value) -> None:
    """Refuse anything but plain values: a model instance would let the template show what the key does not hold."""
    if isinstance(value, PLAIN_TYPES):
        return
    if isinstance(value, list | tuple | dict):
        for item in value.values() if isinstance(value, dict) else value:
            if not isinstance(item, PLAIN_TYPES):  # only containers go one level down
                check_plain(item)
    else:
        raise TypeError(f"a fragment's values must be plain data, not {type(value).__name__}")


def fragment_key(template: str, values: dict) -> str:
    check_plain(values)
    identity = (DEPLOY_VERSION, template, get_language(), get_script_prefix(), values)
    return "fragment:" + hashlib.blake2b(repr(identity).encode(), digest_size=16).hexdigest()


class Fragment(NamedTuple):
    """A template and the plain values it shows; `draw(values)`, if given, turns the values into the
    template's context when the fragment is drawn (texts and links that follow from the values alone)."""

    template: str
    values: dict
    draw: Callable[[dict], dict] | None = None


def render_fragments(parts: list[Fragment]) -> list[SafeString]:
    """Each fragment's HTML, from the cache where it is there: one round trip for them all."""
    keys = [fragment_key(part.template, part.values) for part in parts]
    found = cache_get_many(keys)
    fresh = {}
    html = []
    for key, (template, values, draw) in zip(keys, parts, strict=True):
        if key not in found:
            found[key] = fresh[key] = render_to_string(template, draw(values) if draw else values)
        html.append(mark_safe(found[key]))  # noqa: S308 (our templates' output)
    cache_set_many(fresh, timeout=FRAGMENT_TIMEOUT)
    return html
