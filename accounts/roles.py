"""The roles of DESIGN.md as Django groups, and the permissions each carries.

Groups are data so administrators can adjust them in the admin; this module is
the starting point that data migrations apply (and re-apply when an app adds
permissions). Syncing only ever adds: what an administrator granted stays.
"""

from django.utils.translation import gettext_noop

# Group names are stored in English and translated when shown.
STAFF = gettext_noop("Staff")
NEW_HIRES = gettext_noop("New hires")
CURATORS = gettext_noop("Curators")
ADMINISTRATORS = gettext_noop("Administrators")

MEMBER_PERMISSIONS = [
    "stories.add_story",
    "stories.add_comment",
    "stories.add_vote",
    "stories.add_flag",
    "stories.add_tried",
]
CURATOR_PERMISSIONS = [
    *MEMBER_PERMISSIONS,
    "stories.moderate_story",
    "practices.view_dashboard",
    "practices.promote_story",
    "practices.manage_standards",
    "practices.manage_paths",
    "practices.manage_referents",
    "practices.view_voice",
]
# Administrators get every permission of these apps (the admin site needs them).
ADMIN_APPS = ["auth", "accounts", "stories", "practices", "taggit"]

ROLE_PERMISSIONS = {
    STAFF: MEMBER_PERMISSIONS,
    NEW_HIRES: MEMBER_PERMISSIONS,
    CURATORS: CURATOR_PERMISSIONS,
}


def sync_roles(apps, schema_editor=None) -> None:
    """Create the role groups and grant them the permissions that exist so far.

    Written for RunPython: it uses the historical models in `apps`, and creates
    the permissions of models migrated in the same run (Django only creates them
    after the whole migrate otherwise).
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def existing(names: list[str]):
        wanted = {tuple(name.split(".", 1)) for name in names}
        return [
            perm
            for perm in Permission.objects.select_related("content_type")
            if (perm.content_type.app_label, perm.codename) in wanted
        ]

    for group_name, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*existing(names))

    admins, _ = Group.objects.get_or_create(name=ADMINISTRATORS)
    admins.permissions.add(*Permission.objects.filter(content_type__app_label__in=ADMIN_APPS))
