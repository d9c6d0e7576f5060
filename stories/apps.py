from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("Stories")

    def ready(self) -> None:
        from stories.listing import lists_migrated

        # A data migration may add pillars, which the cached filter form lists.
        post_migrate.connect(lists_migrated, sender=self, dispatch_uid="stories-lists-migrated")
