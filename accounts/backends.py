"""Log-in with Django's ModelBackend, and the person loaded once per request with what every page asks about them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Count, OuterRef, Q, StringAgg, Subquery, Value
from django.db.models.functions import Coalesce, Concat

from accounts.models import Notification


class PersonBackend(ModelBackend):
    """Django's ModelBackend, loading the signed-in person in one query with their store, permissions and unread count.

    Every page draws the navigation (which sections the person's permissions open) and
    the unread badge: Django's backend reads the permissions with two more queries,
    and the count would be a third. Nothing is cached: a changed role or a new
    notification counts on the person's next request.
    """

    def get_user(self, user_id):
        mine = Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk"))
        names = (
            Permission.objects.filter(mine)
            .order_by()
            .values(grouping=Value(1))
            .annotate(names=StringAgg(Concat("content_type__app_label", Value("."), "codename"), Value(" ")))
            .values("names")
        )
        unread = (
            Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("recipient")
            .annotate(count=Count("pk"))
            .values("count")
        )
        people = (
            get_user_model()
            ._default_manager.select_related("store")
            .annotate(permission_names=Subquery(names), unread_count=Coalesce(Subquery(unread), 0))
        )
        user = people.filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        if not user.is_superuser:  # a superuser has every permission (ModelBackend reads them all if asked)
            user._perm_cache = set((user.permission_names or "").split())
        return user
