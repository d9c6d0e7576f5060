from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and stores")

    def ready(self) -> None:
        from django.contrib.auth.models import Group, Permission

        from accounts.caching import permissions_changed
        from accounts.models import User

        # Cached permissions (accounts.caching) must follow the admin and data migrations.
        for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(permissions_changed, sender=through, dispatch_uid=f"permissions-{through.__name__}")
        for model in (Group, Permission):
            post_delete.connect(permissions_changed, sender=model, dispatch_uid=f"permissions-{model.__name__}")
        post_migrate.connect(permissions_changed, sender=self, dispatch_uid="permissions-migrate")
