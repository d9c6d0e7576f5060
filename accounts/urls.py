from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("people/<str:username>/", views.profile, name="profile"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification-open"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
    path("digest/", views.digest_setting, name="digest-setting"),
    path("digest/unsubscribe/<str:token>/", views.digest_unsubscribe, name="digest-unsubscribe"),
]
