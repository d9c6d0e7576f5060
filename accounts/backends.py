"""Log-in with Django's ModelBackend, and the person loaded once per request with what every page asks about them."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from accounts.models import User


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
    """Django's ModelBackend, loading the signed-in person with their store, and all their permissions in one query.

    Every page draws the navigation, which asks which sections the person's
    permissions open: Django's backend reads them with two queries, built by the ORM
    at a cost several times the database's. Nothing is cached: a changed role counts
    on the person's next request.
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
            with connection.cursor() as cursor:
                cursor.execute(permission_names_sql(), [user_obj.pk, user_obj.pk])
                user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in cursor.fetchall()}
        return user_obj._perm_cache
