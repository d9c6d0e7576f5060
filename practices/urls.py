"""practices' URLs, one list per room; every name stays in the "practices" namespace."""

from django.urls import include, path

app_name = "practices"
urlpatterns = [
    path("", include("practices.library.urls")),
    path("", include("practices.onboarding.urls")),
    # Before accounts' people/<username>/ (config/urls.py includes practices first).
    path("", include("practices.referents.urls")),
    path("", include("practices.dashboard.urls")),
    path("", include("practices.voice.urls")),
]
