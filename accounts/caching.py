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
  through accounts.services, which forget the people concerned.

Both have a short timeout too, for writes the code above cannot see (a cache that
was down when something changed, a raw SQL update).
"""

from config.cache import cache_forget, cache_get_many, cache_set_many, generation_changed, generation_start

PERMISSIONS_TIMEOUT = 5 * 60
UNREAD_TIMEOUT = 5 * 60
GENERATION_KEY = "accounts:permissions-generation"


def _permissions_key(user) -> str:
    return f"accounts:permissions:{user.pk}"


def _unread_key(user_id: int) -> str:
    return f"accounts:unread:{user_id}"


def _cached(user) -> dict:
    """Everything cached about the person, read in one round trip and kept for the rest of the request."""
    if not hasattr(user, "_cached_facts"):
        user._cached_facts = cache_get_many([_permissions_key(user), GENERATION_KEY, _unread_key(user.pk)])
    return user._cached_facts


def cached_permissions(user, compute) -> set[str]:
    """The person's permission names from the cache, else `compute()`'s, then stored for the next request."""
    found = _cached(user)
    generation = found.get(GENERATION_KEY)
    entry = found.get(_permissions_key(user))
    if generation is not None and entry is not None and entry[:2] == (generation, user.is_superuser):
        return set(entry[2])
    permissions = compute()
    if generation is None:
        generation = generation_start(GENERATION_KEY)
    if generation is not None:
        entry = (generation, user.is_superuser, frozenset(permissions))
        cache_set_many({_permissions_key(user): entry}, timeout=PERMISSIONS_TIMEOUT)
    return permissions


def permissions_changed(**kwargs) -> None:
    """Signal receiver: someone's groups or permissions, or a group's permissions, changed. Start a new generation."""
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    generation_changed(GENERATION_KEY)


def unread_count(user, compute) -> int:
    """The person's number of unread notifications from the cache, else `compute()`'s, then stored."""
    key = _unread_key(user.pk)
    count = _cached(user).get(key)
    if count is None:
        count = compute()
        cache_set_many({key: count}, timeout=UNREAD_TIMEOUT)
    return count


def unread_count_forget(user_ids: list[int], *, reader=None) -> None:
    """Forget these people's unread counts (they got or read notifications); `reader`, the person in this request."""
    cache_forget(_unread_key(pk) for pk in user_ids)
    if reader is not None and hasattr(reader, "_cached_facts"):
        reader._cached_facts.pop(_unread_key(reader.pk), None)
