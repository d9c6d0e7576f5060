"""Log-in with Django's ModelBackend, and the person loaded once per request with what every page asks about them."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, OuterRef, Subquery

from accounts.models import Notification, User


def permission_names_sql() -> str:
    """The SQL of a person's permissions ("app_label.codename"), their own and their groups'.

    Written out because the ORM took several times longer to build this query than
    the database took to run it, and every request runs it.
    """
    names = {
        "permission": Permission._meta.db_table,
        "content_type": ContentType._meta.db_table,
        "own": User.user_permissions.through._meta.db_table,
        "groups": User.groups.through._meta.db_table,
        "group_permissions": Group.permissions.through._meta.db_table,
    }
    return (  # noqa: S608 (the table names are our models', quoted)
        "SELECT ct.app_label, p.codename FROM {permission} p JOIN {content_type} ct ON ct.id = p.content_type_id"
        " WHERE p.id IN (SELECT permission_id FROM {own} WHERE user_id = %s)"
        " OR p.id IN (SELECT gp.permission_id FROM {group_permissions} gp"
        " JOIN {groups} ug ON ug.group_id = gp.group_id WHERE ug.user_id = %s)"
    ).format(**{key: connection.ops.quote_name(table) for key, table in names.items()})


class PersonBackend(ModelBackend):
    """Django's ModelBackend, loading the signed-in person with their store and unread count, then their permissions.

    Every page draws the header: the unread badge, and the sections the person's
    permissions open. Django's backend reads permissions with two queries, built by
    the ORM at a cost several times the database's; here they are one written-out
    query. Nothing is cached: a changed role or a new notification counts on the
    person's next request.
    """

    def get_user(self, user_id):
        unread = Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        people = User._default_manager.select_related("store").annotate(
            unread_count=Subquery(unread.order_by().values("recipient").annotate(count=Count("pk")).values("count"))
        )
        try:
            user = people.get(pk=user_id)
        except User.DoesNotExist:
            return None
        user.unread_count = user.unread_count or 0
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            with connection.cursor() as cursor:
                cursor.execute(permission_names_sql(), [user_obj.pk, user_obj.pk])
                user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in cursor.fetchall()}
        return user_obj._perm_cache
