"""Log-in with Django's ModelBackend, and what every page's header asks about the person, read in one query."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from accounts.models import Notification, User


def header_facts_sql() -> str:
    """The SQL of a person's unread count (a first row with an empty app label) and permissions (one row each).

    Written out because the ORM took several times longer to build these queries than
    the database took to run them, and every page with a header runs them.
    """
    names = {
        "notification": Notification._meta.db_table,
        "permission": Permission._meta.db_table,
        "content_type": ContentType._meta.db_table,
        "own": User.user_permissions.through._meta.db_table,
        "groups": User.groups.through._meta.db_table,
        "group_permissions": Group.permissions.through._meta.db_table,
    }
    return (  # noqa: S608 (the table names are our models', quoted)
        "SELECT '', CAST(COUNT(*) AS TEXT) FROM {notification} WHERE recipient_id = %s AND read_at IS NULL"
        " UNION ALL"
        " SELECT ct.app_label, p.codename FROM {permission} p JOIN {content_type} ct ON ct.id = p.content_type_id"
        " WHERE p.id IN (SELECT permission_id FROM {own} WHERE user_id = %s)"
        " OR p.id IN (SELECT gp.permission_id FROM {group_permissions} gp"
        " JOIN {groups} ug ON ug.group_id = gp.group_id WHERE ug.user_id = %s)"
    ).format(**{key: connection.ops.quote_name(table) for key, table in names.items()})


def load_header_facts(user: User) -> None:
    """Read the person's unread count (User.unread_count) and permissions (for has_perm) in one query."""
    with connection.cursor() as cursor:
        cursor.execute(header_facts_sql(), [user.pk, user.pk, user.pk])
        rows = cursor.fetchall()
    user.__dict__["unread_count"] = int(rows[0][1])  # the cached_property's own slot
    user._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows[1:]}


class PersonBackend(ModelBackend):
    """Django's ModelBackend, loading the signed-in person with their store; their permissions with their unread count.

    Every page's header shows the unread badge and the sections the person's
    permissions open: Django's backend reads permissions with two queries, and the
    count would be a third; here they are one written-out query, run when a page
    first asks. Nothing is cached: a changed role or a new notification counts on
    the person's next request.
    """

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("store").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            load_header_facts(user_obj)
        return user_obj._perm_cache
