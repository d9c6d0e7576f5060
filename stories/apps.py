from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("Stories")

    def ready(self) -> None:
        from config.cache import check_shared_cache

        checks.register(check_shared_cache, checks.Tags.caches)
