from django.contrib import admin
from django.urls import include, path

from accounts.forms import PasswordResetForm
from accounts.views import LoginView, PasswordChangeView, PasswordResetConfirmView, PasswordResetView, admin_login
from config import views
from practices.library.feeds import PrivateStandardsFeed
from stories.feeds import PrivateStoriesFeed

# Our layout, drawn without the database or the person (config/views.py).
handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("offline/<str:language>/", views.offline, name="offline"),
    # Private Atom feeds for feed readers: a token per person and feed, no session (accounts/feeds.py).
    path("feeds/<str:token>/standards.atom", PrivateStandardsFeed(), name="standards-private-feed"),
    path("feeds/<str:token>/stories.atom", PrivateStoriesFeed(), name="stories-private-feed"),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    # Django's auth views keep their global names (login, password_reset...):
    # they reverse each other without a namespace.
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/password_reset/", PasswordResetView.as_view(form_class=PasswordResetForm), name="password_reset"),
    # Both make the person's private feed links again (accounts/feeds.py).
    path("accounts/password_change/", PasswordChangeView.as_view(), name="password_change"),
    path("accounts/reset/<uidb64>/<token>/", PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("accounts/", include("django.contrib.auth.urls")),
    # practices first: its people/referents/ must win over accounts' people/<username>/.
    path("", include("practices.urls")),
    path("", include("accounts.urls")),
    path("", include("stories.urls")),
]
# Photos are served by stories.photo_views (photos/<id>/<variant>/), which checks access: never by path.
