from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts import caching


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend, with each person's permissions in the cache and their store loaded with them.

    Every page checks permissions (the navigation does); ModelBackend reads them with
    two queries per request. See accounts.caching for how a change reaches the cache.
    """

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = caching.cached_permissions(
                user_obj, lambda: super(CachedModelBackend, self).get_all_permissions(user_obj)
            )
        return user_obj._perm_cache

    def get_user(self, user_id):
        # Pages read request.user.store often (guestbooks, "we tried it", the dashboard's region).
        try:
            user = get_user_model()._default_manager.select_related("store").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
