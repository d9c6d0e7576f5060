from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Standards and learning")

    def ready(self) -> None:
        from practices.models import Referent
        from practices.referents.services import referent_deleted

        # Cascades (a pillar or region deleted in the admin) end roles without referent_remove.
        post_delete.connect(referent_deleted, sender=Referent, dispatch_uid="referent-deleted")
