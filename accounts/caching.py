"""What every page asks about the person, kept in the cache: their permissions and their unread count.

Every page draws the navigation (which links the person's permissions allow) and
the unread notifications badge. From the database that is three queries per
request, more than the page's own content costs on a warm feed; from the cache
it is one round trip.

- **Permissions** are few and change rarely, from the admin or a data migration.
  Each person's set is stored with the generation it was read at; any change to
  groups, group permissions or personal permissions starts a new generation
  (see `permissions_changed`, connected in AccountsConfig.ready), so a changed
  role counts on the next request.
- **The unread count** changes when a notification arrives or is read, always
  through accounts.services, which start a new version of it for the people concerned.

Both have a short timeout too, for writes the code above cannot see (a cache that
was down when something changed, a raw SQL update).
"""

from config.cache import (
    cache_get_many,
    generation_changed,
    generation_get,
    generation_set,
)

PERMISSIONS_TIMEOUT = 5 * 60
UNREAD_TIMEOUT = 5 * 60
GENERATION_KEY = "accounts:permissions-generation"
VERSION_TIMEOUT = 24 * 3600  # a person's unread-count version, forgotten after a day like the count


def _permissions_key(user) -> str:
    return f"accounts:permissions:{user.pk}"


def _unread_keys(user_id: int) -> tuple[str, str]:
    return f"accounts:unread:{user_id}", f"accounts:unread-version:{user_id}"


def person_keys(user) -> list[str]:
    """The keys of everything cached about the person, for a page's first read (config.fragments.page_read)."""
    return [_permissions_key(user), GENERATION_KEY, *_unread_keys(user.pk)]


def remember_read(user, found: dict) -> None:
    """`found`, a cache read that asked for person_keys(user), serves the rest of the request."""
    if not hasattr(user, "_cached_facts"):
        user._cached_facts = found


def _cached(user) -> dict:
    """Everything cached about the person, read in one round trip and kept for the rest of the request."""
    if not hasattr(user, "_cached_facts"):
        user._cached_facts = cache_get_many(person_keys(user))
    return user._cached_facts


def person_stamp(user) -> tuple[str, str] | None:
    """The versions of the person's cached permissions and unread count, as this request read them.

    A value computed from both (the site's header) is current while they are the same;
    None when either is not known yet (nothing is stored with it then).
    """
    found = _cached(user)
    stamp = (found.get(GENERATION_KEY), found.get(_unread_keys(user.pk)[1]))
    return None if None in stamp else stamp


def cached_permissions(user, compute) -> set[str]:
    """The person's permission names from the cache, else `compute()`'s, then stored for the next request."""
    key = _permissions_key(user)
    entry, generation = generation_get(key, GENERATION_KEY, _cached(user))
    if entry is not None and entry[0] == user.is_superuser:
        return set(entry[1])
    permissions = compute()
    generation_set(key, (user.is_superuser, frozenset(permissions)), generation, timeout=PERMISSIONS_TIMEOUT)
    return permissions


def permissions_changed(**kwargs) -> None:
    """Signal receiver: someone's groups or permissions, or a group's permissions, changed. Start a new generation."""
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    generation_changed(GENERATION_KEY)


def unread_count(user, compute) -> int:
    """The person's number of unread notifications from the cache, else `compute()`'s, then stored."""
    key, version_key = _unread_keys(user.pk)
    count, version = generation_get(key, version_key, _cached(user), timeout=VERSION_TIMEOUT)
    if count is None:
        count = compute()
        generation_set(key, count, version, timeout=UNREAD_TIMEOUT)
    return count


def unread_count_changed(user_ids: list[int], *, reader=None) -> None:
    """These people got or read notifications; `reader`, the person of this request, if they are one of them."""
    generation_changed(*(_unread_keys(pk)[1] for pk in user_ids), timeout=VERSION_TIMEOUT)
    if reader is not None and hasattr(reader, "_cached_facts"):
        del reader._cached_facts  # read again, with the new version
