from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.static import serve

from accounts.forms import PasswordResetForm
from accounts.views import LoginView, admin_login
from config import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("offline/<str:language>/", views.offline, name="offline"),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    # Django's auth views keep their global names (login, password_reset...):
    # they reverse each other without a namespace.
    path("accounts/login/", LoginView.as_view(), name="login"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # practices first: its people/referents/ must win over accounts' people/<username>/.
    path("", include("practices.urls")),
    path("", include("accounts.urls")),
    path("", include("stories.urls")),
]

# Photos are for signed-in colleagues only, so with files on local disk Django
# serves them itself behind the log-in; object storage serves its own URLs.
if settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}, name="media"),
    ]
