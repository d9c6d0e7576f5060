from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Standards and learning")

    def ready(self) -> None:
        from practices.library.services import story_tries_recounted
        from practices.models import Referent
        from practices.referents.services import referent_deleted
        from stories.signals import tries_recounted

        # Cascades (a pillar or region deleted in the admin) end roles without referent_remove.
        post_delete.connect(referent_deleted, sender=Referent, dispatch_uid="referent-deleted")
        # A story tried in one more store: the standard it inspired counts it (stories cannot call practices).
        tries_recounted.connect(story_tries_recounted, dispatch_uid="standard-tried-total")
