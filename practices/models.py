from django.db import models
from django.utils.translation import gettext_lazy as _


class Curation(models.Model):
    """Holds the curators' permissions that belong to no single table.

    No table is created; the permissions are what roles are built from
    (see accounts/roles.py).
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_dashboard", _("Can see the managers' dashboard")),
            ("promote_story", _("Can promote a story into a standard")),
            ("manage_standards", _("Can write, publish and retire standards")),
            ("manage_paths", _("Can manage learning paths")),
        ]

    def __str__(self) -> str:
        return "curation"
